// What the tickets feature asks, and its buttons.

/** What the user's next message answers. */
export type TicketPrompt =
  | { on: 'subject' }
  | { on: 'message'; subject: string }
  | { on: 'email'; subject: string; message: string }
  | { on: 'reply'; ticketId: number };

declare module '../../prompts.ts' {
  interface Prompts {
    tickets: TicketPrompt;
  }
}

/** Button actions, all `tk.` (the two of the FAQ screen are SUPPORT_ACTIONS). */
export const TICKET_ACTIONS = {
  page: 'tk.pg',
  open: 'tk.open',
  reply: 'tk.re',
  resolve: 'tk.ok',
  close: 'tk.cl',
  skipEmail: 'tk.skip',
  cancel: 'tk.x',
} as const;

/** Pressing one of these keeps the pending ticket question. */
export function ownsTicketAction(data: string): boolean {
  return data.startsWith('tk.');
}

const ID_ARG = /^\d{1,15}$/;

export function ticketIdArg(text: string | undefined): number | null {
  return text !== undefined && ID_ARG.test(text) ? Number(text) : null;
}
