# Agora — textes du bot en français (langue par défaut).
# Les messages sont du HTML Telegram : les variables sont échappées par le bot.
# Les libellés de boutons et les alertes (button-*, rate-limited, error-generic, language-saved)
# sont du texte brut : pas de balises.

## Accueil et menu

welcome =
    👋 Bienvenue sur <b>Agora</b>, { $name } !

    🛒 <b>Acheter</b> : guides, formations, modèles et outils numériques, livrés ici même.
    💼 <b>Vendre</b> : publiez vos fichiers et soyez payé en USDT sur Solana.
    📚 <b>Bibliothèque</b> : tous vos achats, à re-télécharger quand vous voulez.

    💳 Paiement en crypto : BTC, ETH, SOL, USDT, USDC.
    🔎 Astuce : tapez un identifiant de produit (ex. <code>P-7K3M9QXD4T</code>) ou des mots-clés à tout moment pour chercher.
button-buy = 🛒 Acheter
button-sell = 💼 Vendre
button-library = 📚 Ma bibliothèque
button-support = 💬 Support
button-home = 🏠 Accueil
button-faq = ❓ FAQ
button-refresh = 🔄 Actualiser
button-new-ticket = ✉️ Créer un ticket
button-my-tickets = 🗂 Mes tickets
language-saved = Langue enregistrée : français 🇫🇷
link-invalid = 🔗 Ce lien n'est pas valide. Voici l'accueil.
link-unavailable = 🔗 Ce lien n'est pas encore disponible. Voici l'accueil.

## Aide

help =
    ❓ <b>Aide</b>

    /start : accueil
    /achat : parcourir le catalogue
    /vendre : vendre vos produits
    /library : vos achats
    /stats : votre tableau de bord vendeur
    /shop : la boutique d'un vendeur
    /support : FAQ et tickets

    Tapez un identifiant de produit ou des mots-clés pour chercher. La FAQ répond aux questions les plus fréquentes.

## Robustesse

button-expired = Ce bouton n'est plus disponible. Ouvrez à nouveau le menu.
rate-limited = Doucement 🙂 Vous allez un peu vite : réessayez dans une minute.
error-generic = Désolé, un problème est survenu de notre côté. Réessayez dans un instant ; si cela continue, contactez le support.
not-understood = Je n'ai pas compris ce message. Utilisez le menu ou /help.

## Administration

admin-menu =
    🛠 <b>Administration</b>
    Connecté en tant qu'administrateur ({ $id }).

## Menu des commandes (texte brut)

command-start = Accueil
command-buy = Acheter un produit
command-sell = Vendre vos produits
command-library = Mes achats
command-stats = Tableau de bord vendeur
command-shop = Boutique d'un vendeur
command-help = Aide
command-support = FAQ et support

## FAQ

faq-entry =
    ❓ <b>{ $question }</b>

    { $answer }

    <i>Question { $n } sur { $total }</i>
faq-q-1 = Comment acheter un produit ?
faq-a-1 = Ouvrez 🛒 Acheter, choisissez une catégorie, parcourez les fiches puis appuyez sur « Acheter ». Choisissez une crypto, envoyez le montant exact affiché à l'adresse indiquée : le produit arrive ici dès que le paiement est confirmé.
faq-q-2 = Quelles cryptomonnaies sont acceptées ?
faq-a-2 = BTC, ETH, SOL, USDT (réseau Solana) et USDC (réseau Solana). Le montant exact dans la crypto choisie est affiché avant de payer, frais inclus.
faq-q-3 = Dois-je prouver mon identité ?
faq-a-3 = Non. Votre compte Telegram suffit : pas de pièce d'identité, pas de mot de passe.
faq-q-4 = Comment devenir vendeur ?
faq-a-4 = Tapez /vendre, donnez une adresse e-mail puis votre adresse Solana de paiement. Vous pouvez ensuite ajouter un produit en six étapes : titre, description, catégorie, prix, couverture (facultative) et fichier.
faq-q-5 = Combien gagne un vendeur ?
faq-a-5 = Le vendeur touche le prix affiché de son produit. Les frais de la plateforme sont payés par l'acheteur, en plus du prix. Un produit gratuit n'a pas de frais.
faq-q-6 = Quand et comment les vendeurs sont-ils payés ?
faq-a-6 = Chaque vente reste 24 h en séquestre, puis devient disponible. Les paiements sont envoyés en USDT sur Solana à votre adresse de paiement ; votre tableau de bord montre les soldes en séquestre, disponible et payé.
faq-q-7 = Comment contacter le support ?
faq-a-7 = Appuyez sur « Créer un ticket » ci-dessous et décrivez votre question. Un administrateur vous répond ici même ; suivez vos échanges dans « Mes tickets ».
faq-q-8 = Comment signaler un problème sur une commande ?
faq-a-8 = Dans 📚 Ma bibliothèque, ouvrez l'achat concerné et appuyez sur « Signaler un problème ». Le ticket est lié à votre commande, inutile de la décrire.
faq-q-9 = J'ai payé mais je n'ai pas reçu mon fichier.
faq-a-9 = La livraison est relancée automatiquement jusqu'à réussir. Certaines cryptos demandent plusieurs confirmations : utilisez « Actualiser le statut » sur le message de paiement. Si rien n'arrive, ouvrez un ticket avec votre numéro de commande.
faq-q-10 = Où retrouver mes achats ?
faq-a-10 = Dans 📚 Ma bibliothèque (/library). Vous pouvez re-télécharger autant que vous voulez, même si le vendeur a retiré le produit depuis.
faq-q-11 = Comment contacter le vendeur ?
faq-a-11 = Dans 📚 Ma bibliothèque, appuyez sur « Contacter le vendeur ». Les messages passent par le bot : ni vous ni le vendeur ne voyez le compte Telegram de l'autre.
faq-q-12 = La plateforme est-elle sûre ?
faq-a-12 = Les paiements passent par NOWPayments et chaque notification est vérifiée. Les vendeurs sont payés après un séquestre de 24 h, les liens de téléchargement sont personnels et à usage unique, et aucune donnée bancaire n'est demandée.
faq-q-13 = Combien de temps prend un paiement ?
faq-a-13 = Cela dépend de la crypto : quelques minutes pour SOL, USDT et USDC sur Solana, plus longtemps pour BTC ou ETH selon le réseau. La commande est validée quand l'argent est bien arrivé.
faq-q-14 = Comment obtenir un portefeuille Solana ?
faq-a-14 = Installez un portefeuille comme Phantom, Solflare ou Backpack, créez un compte et notez votre phrase de récupération en lieu sûr. Votre adresse (32 à 44 caractères) s'affiche dans l'application.
faq-q-15 = Puis-je payer par carte bancaire ?
faq-a-15 = Non, seulement en crypto. Vous pouvez acheter des USDT ou des SOL sur une plateforme d'échange puis les envoyer depuis votre portefeuille.
faq-q-16 = Quelles commandes puis-je utiliser ?
faq-a-16 = /start accueil · /achat catalogue · /vendre vendre · /library achats · /stats tableau de bord · /shop boutique · /help aide · /support FAQ et tickets.

notify-download = ⬇️ Télécharger (lien valable 5 minutes)
notify-library = 📚 Ma bibliothèque
notify-delivered = ✅ Paiement reçu ! Votre achat <b>{ $title }</b> (commande { $order }) est prêt. Téléchargez-le maintenant, ou plus tard depuis votre bibliothèque.
notify-sale = 💰 Nouvelle vente : <b>{ $title }</b> pour { $amount }. Le montant reste en séquestre 24 h, puis devient disponible.
notify-payouts-available = 🔓 { $amount } issus de { $count } vente(s) sont sortis du séquestre et sont disponibles pour le paiement.
