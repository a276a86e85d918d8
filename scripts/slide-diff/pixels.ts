import type { Buffer } from 'node:buffer'
import pixelmatch from 'pixelmatch'
import { PNG } from 'pngjs'

/** How far apart two renderings of a slide are, with an image that marks the differing pixels in red. */
export interface PixelComparison {
  changedPixels: number
  /** Changed pixels over all pixels of the larger image. */
  ratio: number
  diffPng: Buffer
}

/**
 * A pixel differs when its colours are further apart than pixelmatch's 0.1 (its default: hides
 * compression noise, catches any real edit); anti-aliased edge pixels do not count.
 */
export const PIXEL_COLOUR_THRESHOLD = 0.1

/** Pads an image to `width`×`height` with transparent pixels, so a resized slide still compares. */
function padded(png: PNG, width: number, height: number): Uint8Array {
  if (png.width === width && png.height === height)
    return png.data
  const out = new PNG({ width, height })
  PNG.bitblt(png, out, 0, 0, png.width, png.height, 0, 0)
  return out.data
}

export function comparePngs(before: Buffer, after: Buffer): PixelComparison {
  const a = PNG.sync.read(before)
  const b = PNG.sync.read(after)
  const width = Math.max(a.width, b.width)
  const height = Math.max(a.height, b.height)
  const diff = new PNG({ width, height })
  const changedPixels = pixelmatch(padded(a, width, height), padded(b, width, height), diff.data, width, height, {
    threshold: PIXEL_COLOUR_THRESHOLD,
  })
  return {
    changedPixels,
    ratio: changedPixels / (width * height),
    diffPng: PNG.sync.write(diff),
  }
}
