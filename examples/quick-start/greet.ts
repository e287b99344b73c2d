// README quick start: the app's own Lambda handler (type-checked by `npm test`).
export async function handler(event: { name: string }): Promise<{ greeting: string }> {
  if (!event.name) throw new Error('a name is required');
  return { greeting: `hello, ${event.name}` };
}
