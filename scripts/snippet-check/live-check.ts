export async function runLiveCheck(_: unknown): Promise<number> { return 1 }
