export async function runBench() { return {} }
