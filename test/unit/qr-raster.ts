import type { QrSvg } from '../../model/attendee-links'
import jsQR from 'jsqr'

/** Paints the QR code's path (`M x y h n v1 h-n z` rectangles) at `scale` pixels a module, for jsQR. */
export function rasterise(qr: QrSvg, scale = 4): { data: Uint8ClampedArray, width: number, height: number } {
  const width = qr.size * scale
  const data = new Uint8ClampedArray(width * width * 4).fill(255)
  const runs = [...qr.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)]
  if (runs.map(run => run[0]).join('') !== qr.path)
    throw new Error(`not a path of module rectangles: ${qr.path.slice(0, 80)}`)
  for (const [, x, y, n] of runs) {
    for (let row = Number(y) * scale; row < (Number(y) + 1) * scale; row++) {
      for (let column = Number(x) * scale; column < (Number(x) + Number(n)) * scale; column++)
        data.fill(0, (row * width + column) * 4, (row * width + column) * 4 + 3)
    }
  }
  return { data, width, height: width }
}

/** What a phone would read from the QR code's path: jsQR on the painted modules. */
export function decodeQr(qr: QrSvg): string | undefined {
  const { data, width, height } = rasterise(qr)
  return jsQR(data, width, height)?.data
}
