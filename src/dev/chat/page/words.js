// The local chat page's own words, in the language of the person whose chat is shown (the bot's
// messages already come in it). English is used for a language missing here.
export const WORDS = {
  en: {
    title: 'Agora · local chat',
    bot: 'bot',
    roles: { buyer: 'buyer', seller: 'seller', admin: 'admin' },
    actions: { typing: 'typing…', upload_photo: 'sending a photo…', upload_document: 'sending a file…' },
    unreachable: 'server unreachable, retrying…',
    empty: (name) => `${name}'s chat with the bot is empty. Press ☰ for the commands, or type /start.`,
    copied: 'Copied',
    payments: 'Payments ↗',
    people: 'Who you are',
    photo: '🖼 Photo',
    file: '📄 File',
    commands: 'Commands',
    attach: 'Attach',
    message: 'Message',
    send: 'Send',
  },
  fr: {
    title: 'Agora · chat local',
    bot: 'bot',
    roles: { buyer: 'acheteur', seller: 'vendeur', admin: 'admin' },
    actions: { typing: 'écrit…', upload_photo: 'envoie une photo…', upload_document: 'envoie un fichier…' },
    unreachable: 'serveur injoignable, nouvel essai…',
    empty: (name) =>
      `La conversation de ${name} avec le bot est vide. Touchez ☰ pour les commandes, ou écrivez /start.`,
    copied: 'Copié',
    payments: 'Paiements ↗',
    people: 'Qui vous êtes',
    photo: '🖼 Photo',
    file: '📄 Fichier',
    commands: 'Commandes',
    attach: 'Joindre',
    message: 'Message',
    send: 'Envoyer',
  },
};
