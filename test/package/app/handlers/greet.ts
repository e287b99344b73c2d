// The app's own function: greets, or refuses an empty name.
export interface GreetEvent {
  name: string;
}

export async function handler(event: GreetEvent): Promise<{ greeting: string; long: boolean }> {
  if (!event.name) throw new Error('a name is required');
  return { greeting: `${process.env.GREETING ?? 'hi'}, ${event.name}`, long: event.name.length > 5 };
}
