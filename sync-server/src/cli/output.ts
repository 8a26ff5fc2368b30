/** CLI output: human text by default, one JSON object with --json (for scripts and tests). */
export function emit(json: boolean, value: Record<string, unknown>, human: string): void {
  console.log(json ? JSON.stringify(value) : human);
}
