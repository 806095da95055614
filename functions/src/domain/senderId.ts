/** Checks a sender id against mNotify's rules: at most 11 characters, not all digits. */
export function senderIdProblem(senderId: string): string | undefined {
  if (senderId.trim() === "") return "the sender id is empty";
  if (senderId.length > 11) return "the sender id is longer than 11 characters";
  if (/^\d+$/.test(senderId)) return "the sender id is numeric";
  return undefined;
}
