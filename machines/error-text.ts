// What an actor's error says, for events and context: its message, or the thrown value itself.
export const errorText = (error: unknown): string => String((error as Error)?.message ?? error);
