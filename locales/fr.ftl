# Agora — textes du bot en français (langue par défaut).
# Les messages sont du HTML Telegram : les variables sont échappées par le bot.
# Les libellés de boutons et les alertes (button-*, rate-limited, error-*, language-saved)
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

## Groupes et canaux (le bot ne fonctionne qu'en conversation privée)

group-open-private = 🔒 Agora fonctionne en conversation privée, pour que vos achats et vos ventes restent confidentiels. Appuyez sur le bouton ci-dessous pour l'ouvrir.
group-button-open = 💬 Ouvrir Agora
group-press-private = Agora ne fonctionne qu'en conversation privée : ouvrez le bot pour utiliser ce bouton.

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
rate-limited = Doucement 🙂 Vous allez un peu vite : réessayez dans { $seconds ->
        [one] une seconde
       *[other] { $seconds } secondes
    }.
error-generic = Désolé, un problème est survenu de notre côté. Réessayez dans un instant ; si cela continue, contactez le support.
error-session-conflict = ⚠️ Une autre de vos actions était traitée au même moment : celle-ci n'a pas été enregistrée. Vérifiez l'écran et recommencez si besoin.
not-understood = Je n'ai pas compris ce message. Utilisez le menu ou /help.

## Erreurs : `error-<code>` est le message de chaque code d'erreur (src/errors.ts), avec ses
## détails comme variables. Texte brut : ils servent aussi d'alertes (200 caractères au plus).

# Champs de texte (détails : min, max, length)
error-title-required = ✏️ Tapez un titre (de { $min } à { $max } caractères).
error-title-too-short = ✏️ Le titre doit faire de { $min } à { $max } caractères (actuellement { $length }).
error-title-too-long = ✏️ Le titre doit faire de { $min } à { $max } caractères (actuellement { $length }).
error-title-invalid-chars = ✏️ Le titre contient des caractères de contrôle : retapez-le sans eux.
error-description-required = ✏️ Tapez une description ({ $max } caractères au plus).
error-description-too-short = ✏️ La description doit faire de { $min } à { $max } caractères (actuellement { $length }).
error-description-too-long = ✏️ La description fait { $max } caractères au plus (actuellement { $length }).
error-description-invalid-chars = ✏️ La description contient des caractères de contrôle : retapez-la sans eux.
error-seller-name-required = ✏️ Tapez un nom de vendeur (de { $min } à { $max } caractères).
error-seller-name-too-short = ✏️ Le nom doit faire de { $min } à { $max } caractères (actuellement { $length }).
error-seller-name-too-long = ✏️ Le nom doit faire de { $min } à { $max } caractères (actuellement { $length }).
error-seller-name-invalid-chars = ✏️ Le nom contient des caractères de contrôle : retapez-le sans eux.
error-bio-required = ✏️ Tapez une bio ({ $max } caractères au plus).
error-bio-too-short = ✏️ La bio doit faire de { $min } à { $max } caractères (actuellement { $length }).
error-bio-too-long = ✏️ La bio fait { $max } caractères au plus (actuellement { $length }).
error-bio-invalid-chars = ✏️ La bio contient des caractères de contrôle : retapez-la sans eux.
error-review-text-required = ✏️ Tapez votre avis (de { $min } à { $max } caractères).
error-review-text-too-short = ✏️ Un avis doit faire de { $min } à { $max } caractères (actuellement { $length }).
error-review-text-too-long = ✏️ Un avis doit faire de { $min } à { $max } caractères (actuellement { $length }).
error-review-text-invalid-chars = ✏️ L'avis contient des caractères de contrôle : retapez-le sans eux.
error-ticket-subject-required = ✏️ Tapez l'objet de votre question (de { $min } à { $max } caractères, sur une ligne).
error-ticket-subject-too-short = ✏️ L'objet doit faire de { $min } à { $max } caractères, sur une ligne (actuellement { $length }).
error-ticket-subject-too-long = ✏️ L'objet doit faire de { $min } à { $max } caractères, sur une ligne (actuellement { $length }).
error-ticket-subject-invalid-chars = ✏️ L'objet contient des caractères de contrôle : retapez-le sans eux.
error-ticket-message-required = ✏️ Tapez votre message (de { $min } à { $max } caractères).
error-ticket-message-too-short = ✏️ Le message doit faire de { $min } à { $max } caractères (actuellement { $length }).
error-ticket-message-too-long = ✏️ Le message doit faire de { $min } à { $max } caractères (actuellement { $length }).
error-ticket-message-invalid-chars = ✏️ Le message contient des caractères de contrôle : retapez-le sans eux.

# Prix, montants, e-mails, adresses, notes, identifiants
error-price-required = ❌ Tapez un prix, par exemple 19.99, ou 0 pour gratuit.
error-price-invalid = ❌ Ce n'est pas un prix : tapez un nombre comme 19.99 (deux décimales au plus), ou 0 pour gratuit.
error-price-negative = ❌ Un prix ne peut pas être négatif : tapez un nombre comme 19.99, ou 0 pour gratuit.
error-price-too-precise = ❌ Un prix a deux décimales au plus (les centimes), comme 19.99.
error-price-below-minimum = ❌ Le prix doit être 0 (gratuit) ou compris entre { $min } et { $max } $.
error-price-above-maximum = ❌ Le prix doit être 0 (gratuit) ou compris entre { $min } et { $max } $.
error-amount-invalid = ❌ Ce montant n'est pas valide.
error-percent-invalid = ❌ Tapez un pourcentage entre 0 et 100, avec deux décimales au plus (ex. 2,5).
error-email-required = ❌ Tapez une adresse e-mail, comme nom@exemple.com.
error-email-too-long = ❌ Une adresse e-mail fait 254 caractères au plus.
error-email-invalid = ❌ Cette adresse e-mail n'est pas valide. Tapez une adresse comme nom@exemple.com.
error-email-taken = ❌ Cette adresse e-mail est déjà utilisée par un autre compte vendeur.
error-solana-address-required = ❌ Tapez votre adresse Solana (32 à 44 caractères).
error-solana-address-length = ❌ Une adresse Solana fait de { $min } à { $max } caractères ; celle-ci en a { $length }.
error-solana-address-invalid-chars = ❌ Une adresse Solana n'utilise ni 0, O, I ou l, ni espace ni ponctuation (caractère n° { $position }).
error-solana-address-wrong-size = ❌ Ce n'est pas une adresse Solana : vérifiez-la dans votre portefeuille et recopiez-la.
error-rating-invalid = ⭐ Une note va de 1 à 5 étoiles.
error-id-required = ❌ Tapez un identifiant, comme P-7K3M9QXD4T.
error-id-invalid = ❌ Ce n'est pas un identifiant valide : il ressemble à P-7K3M9QXD4T (produit) ou O-7K3M9QXD4T (commande).
error-id-ambiguous-char = ❌ Un identifiant n'utilise jamais 0, O, 1, I ni L : vérifiez les caractères.
error-id-wrong-kind =
    ❌ C'est un identifiant { $got ->
        [order] de commande
       *[other] de produit
    }, pas { $expected ->
        [order] de commande
       *[other] de produit
    }.
error-user-id-invalid = ❌ Un id Telegram est un nombre. Renvoyez-le ou annulez.

# Ce qui n'existe pas, ou pas pour cette personne (détails : entity, id)
error-user-not-found = 👤 Introuvable : aucun utilisateur n'a cet id.
error-product-not-found = Ce produit n'est pas disponible.
error-order-not-found = 🧾 Cette commande n'existe pas ou ne vous appartient pas.
error-purchase-not-found = 🧾 Cet achat n'existe pas ou ne vous appartient pas.
error-ticket-not-found = Ce ticket n'existe pas ou ne vous appartient pas.
error-category-not-found = Cette catégorie n'existe plus : choisissez-en une autre.
error-payout-not-found = Ce paiement n'existe pas.
error-review-not-found = ⭐ Vous n'avez pas encore donné d'avis sur ce produit : laissez-en d'abord un.
error-file-not-found = Le fichier de cet achat n'est plus disponible : signalez un problème.

# Qui peut faire quoi
# Le produit d'un autre vendeur reçoit le même refus poli qu'un produit inexistant.
error-not-owner =
    { $entity ->
        [product] Ce produit n'est pas disponible.
       *[other] Ce contenu n'est pas (ou plus) disponible, ou il ne vous appartient pas.
    }
error-not-admin = 🚫 Réservé aux administrateurs.
error-not-seller = 💼 Réservé aux vendeurs : tapez /vendre pour le devenir.
error-already-seller = ✅ Vous avez déjà un compte vendeur : tapez /vendre pour ouvrir votre tableau de bord.
error-user-suspended = 🚫 Votre compte est suspendu : vous ne pouvez ni acheter ni vendre pour le moment.
error-self-suspension = ❌ Vous ne pouvez pas vous suspendre vous-même.
error-user-not-suspended = Cela a changé entre-temps : cet utilisateur n'est plus suspendu. Actualisez l'écran.
error-suspension-end-invalid = ❌ Une suspension doit se terminer dans le futur. Envoyez une autre date ou annulez.
error-suspension-end-unreadable = ❌ Tapez une durée comme 12h ou 3j, ou une date comme 2026-12-31 18:00 (UTC).
error-reason-invalid = ❌ Un motif fait de { $min } à { $max } caractères. Renvoyez-le ou annulez.
error-ticket-status-forbidden = Seuls l'auteur du ticket et les administrateurs peuvent changer son statut.
error-review-requires-purchase = ⭐ Seuls les acheteurs qui ont payé ce produit peuvent lui donner un avis.

# Produits
error-product-banned = 🚫 Ce produit a été banni par un administrateur : vous ne pouvez pas le remettre en vente. Contactez le support si vous pensez à une erreur.
error-product-deleted = 🗑 Ce produit a été supprimé : il ne peut plus être modifié.
error-product-file-missing = Ajoutez le fichier du produit avant de le publier.
error-product-not-listed = Ce brouillon n'a pas de fichier : il n'a jamais été publié, il n'y a donc rien à bannir.
error-product-transition-forbidden =
    Ce produit ne peut pas être { $to ->
        [active] mis en vente
        [inactive] retiré de la vente
        [banned] banni
        [deleted] supprimé
       *[other] modifié ainsi
    } maintenant : rien n'a été fait. Actualisez l'écran.
error-image-type-invalid = ❌ Une couverture ou un aperçu doit être une image JPEG, PNG ou WebP.
error-image-too-large = ❌ Une image fait 5 Mo au plus : envoyez-en une plus légère.
error-image-dimensions-too-large = ❌ Cette image fait { $width } × { $height } pixels : Telegram n'affiche une photo que si sa largeur et sa hauteur totalisent { $max } pixels au plus. Envoyez-en une plus petite.
error-image-ratio-too-large = ❌ Cette image fait { $width } × { $height } pixels, elle est trop allongée : Telegram n'affiche une photo que si un côté mesure au plus { $max } fois l'autre. Recadrez-la et renvoyez-la.
error-upload-missing = Rien n'a encore été envoyé : renvoyez le fichier.

# Commandes, paiements, téléchargements
error-product-unavailable = Ce produit ne peut pas être acheté pour le moment : il a peut-être été retiré de la vente.
error-own-product = C'est votre propre produit : vous ne pouvez pas l'acheter.
error-already-owned = ✅ Ce produit est déjà à vous : retrouvez-le dans votre bibliothèque et téléchargez-le quand vous voulez.
error-coin-unavailable = ❌ Cette crypto n'est pas proposée : choisissez-en une avec les boutons.
error-amount-below-minimum =
    { $minimum ->
        [none] Ce montant est inférieur au minimum accepté en { $coin } : choisissez une autre crypto.
       *[other] Ce montant est inférieur au minimum accepté en { $coin } ({ $minimum }) : choisissez une autre crypto.
    }
error-payment-provider-unavailable = Le service de paiement ne répond pas. Réessayez dans un instant.
error-order-not-payable = Cette commande ne peut plus être payée : ouvrez à nouveau le produit.
error-order-partially-paid = ⚠️ Une partie de cette commande est déjà payée en { $coin } : envoyez le reste en { $coin }, à la même adresse.
error-order-not-paid = ⏳ Cette commande n'est pas encore payée : réessayez une fois le paiement confirmé.
error-order-transition-forbidden = Cette commande ne peut pas changer ainsi maintenant : rien n'a été fait. Actualisez l'écran.
error-payment-transition-forbidden = Ce paiement ne peut pas changer ainsi maintenant : rien n'a été fait.
error-file-unavailable = Le fichier de cet achat n'est plus disponible : signalez un problème.
error-file-version-unavailable = Cette version du fichier ne fait pas partie de cet achat : téléchargez la dernière depuis votre bibliothèque.
error-file-version-not-pending = Aucun nouveau fichier n'attend d'être publié pour ce produit : envoyez-en un d'abord.
error-analytics-period-invalid = Les statistiques portent sur 7, 30 ou 90 jours.
error-download-rate-limited = 📥 Trop de liens de téléchargement demandés en peu de temps ({ $limit } au plus) : réessayez un peu plus tard.
error-download-link-invalid = 🔗 Ce lien de téléchargement a déjà servi ou a expiré : demandez-en un nouveau depuis votre bibliothèque.

# Tickets et paiements des vendeurs
error-ticket-transition-forbidden = Ce changement n'est pas possible pour ce ticket.
error-tx-hash-invalid = ❌ Ce n'est pas une signature de transaction Solana (base58, 87–88 caractères). Renvoyez-la ou annulez.
error-nothing-to-pay = Plus rien n'est dû ici : toutes les lignes ont été payées.
error-payouts-already-paid = Ces lignes ont été payées entre-temps, par vous ou un autre admin : rien n'a été payé deux fois.
error-payout-not-available =
    { $status ->
        [paid] Ce paiement a déjà été effectué.
        [escrow] Ce paiement est encore en séquestre.
        [cancelled] Ce paiement a été annulé.
       *[other] Ce paiement ne peut pas être effectué maintenant.
    }

# Stockage des fichiers et envois
error-storage-unavailable = Le stockage des fichiers n'est pas disponible pour le moment. Réessayez plus tard.
error-storage-invalid-key = ❌ Cette adresse de fichier n'est pas valide : recommencez l'envoi.
error-storage-foreign-key = 🚫 Ce fichier appartient à un autre produit ou à un autre vendeur.
error-storage-not-found = Ce fichier n'est plus stocké.
error-storage-range-not-satisfiable = Cette partie du fichier n'existe pas : téléchargez-le à nouveau depuis le début.
error-storage-too-large = ❌ Ce fichier est trop volumineux.
error-storage-size-mismatch = ❌ Le fichier n'est pas arrivé en entier : renvoyez-le.
error-storage-invalid-argument = ❌ Cette demande de fichier n'est pas valide : recommencez.
error-storage-content-type-mismatch = ❌ Le type de ce fichier n'est pas celui annoncé pour l'envoi : recommencez l'envoi.
error-storage-upload-token-invalid = 🔒 Ce lien d'envoi n'est pas valide : demandez-en un nouveau.
error-storage-upload-token-expired = ⌛ Ce lien d'envoi a expiré : demandez-en un nouveau.
error-storage-upload-token-used = 🔒 Ce lien d'envoi a déjà servi : demandez-en un nouveau pour envoyer un autre fichier.
error-storage-upload-not-found = Cet envoi n'existe plus (terminé, annulé ou expiré) : recommencez l'envoi du fichier.
error-storage-upload-offset-mismatch = Ce morceau ne suit pas ce qui est déjà arrivé : reprenez l'envoi là où il s'est arrêté.
error-storage-upload-superseded = Une demande plus récente a pris le relais de cet envoi ; ce qui était arrivé est conservé.
error-storage-upload-incomplete = Le fichier n'est pas encore arrivé en entier : reprenez l'envoi pour transmettre le reste.
error-upload-not-found = Cet envoi n'existe pas ou ne vous appartient pas.
error-upload-completing = ⏳ Cet envoi est en cours de finalisation : patientez un instant.
error-upload-completed = ✅ Cet envoi est déjà terminé : commencez-en un nouveau pour envoyer un autre fichier.
error-upload-aborted = Cet envoi a été annulé ou a expiré : commencez-en un nouveau.
error-upload-transport = Cet envoi ne passe pas par ce chemin : rouvrez la page d'envoi depuis le bot et recommencez.
error-checksum-invalid = ❌ La somme de contrôle doit être un SHA-256 : 64 caractères hexadécimaux en minuscules.
error-checksum-mismatch = ❌ Le fichier reçu ne correspond pas au vôtre (somme de contrôle) : renvoyez-le.

# Connexion à la mini-app
error-auth-required = 🔒 Ouvrez cette page depuis le bot Telegram.
error-init-data-invalid = 🔒 Telegram n'a pas pu confirmer votre identité : fermez la mini-app puis rouvrez-la.
error-init-data-expired = 🔒 Cette session est trop ancienne : fermez la mini-app puis rouvrez-la.

## Administration


## Menu des commandes (texte brut)

command-start = Accueil
command-buy = Acheter un produit
command-sell = Vendre vos produits
command-library = Mes achats
command-stats = Tableau de bord vendeur
command-shop = Boutique d'un vendeur
command-help = Aide
command-support = FAQ et support
command-start-group = Ouvrir le bot en conversation privée
command-admin = Administration
# Le profil du bot (setMyDescription, 512 caractères au plus ; setMyShortDescription, 120 au plus).
bot-description = Agora est une place de marché de produits numériques : achetez guides, modèles et fichiers à des vendeurs indépendants et payez en crypto, ou ouvrez votre boutique pour vendre les vôtres. Appuyez sur Démarrer pour parcourir le catalogue.
bot-short-description = Achetez et vendez des produits numériques, payés en crypto.

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

notify-download = 📥 Télécharger
notify-library = 📚 Ma bibliothèque
notify-delivered = ✅ Paiement reçu ! Votre achat <b>{ $title }</b> (commande { $order }) est prêt. Téléchargez-le maintenant, ou plus tard depuis votre bibliothèque.
notify-delivered-free = 🎁 <b>{ $title }</b> est à vous (commande { $order }). Téléchargez-le maintenant, ou plus tard depuis votre bibliothèque.
notify-document = 📎 <b>{ $title }</b>, version { $version } : le fichier de votre achat.
notify-free-download = 🎁 Quelqu'un vient d'obtenir votre produit gratuit <b>{ $title }</b>.
notify-sale = 💰 Nouvelle vente : <b>{ $title }</b> pour { $amount }. Le montant reste en séquestre 24 h, puis devient disponible.
notify-payouts-available = 🔓 { $amount } issus { $count ->
        [one] d'une vente sont sortis
       *[other] de { $count } ventes sont sortis
    } du séquestre et sont disponibles pour le paiement.

## Vendeurs

sell-register-intro =
    💼 <b>Devenir vendeur</b>

    Vendez vos fichiers numériques ici même et soyez payé en USDT sur Solana.
    Étape 1/2 : tapez votre <b>adresse e-mail</b> (elle reste privée).
sell-register-address =
    ✅ E-mail : <code>{ $email }</code>

    Étape 2/2 : tapez votre <b>adresse Solana de paiement</b> (32 à 44 caractères), celle où vous recevrez vos gains en USDT.
sell-register-again = Tapez une autre adresse e-mail.
sell-register-cancelled = Inscription annulée. Vous pourrez la reprendre avec /vendre.
sell-registered = 🎉 Votre compte vendeur est créé !
sell-dashboard =
    💼 <b>Tableau de bord : { $name }</b>

    📦 Produits : { $products } (dont { $active } en vente)
    🛍 Ventes : { $sales }
    💵 Revenus : { $revenue }
    💾 Stockage utilisé : { $storage }

    💰 <b>Soldes</b>
    ⏳ En séquestre (24 h) : { $escrow }
    ✅ Disponible : { $available }
    📤 Déjà versé : { $paid }
sell-shop-link =
    🔗 <b>Votre boutique, { $name }</b>

    Le lien de votre boutique (touchez pour copier), il ouvre le bot directement sur vos produits en vente :
    <code>{ $link }</code>
sell-prompt-cancelled = Modification annulée.
sell-button-add = ➕ Ajouter un produit
sell-button-resume = ▶️ Reprendre mon produit en cours
sell-button-products = 📦 Mes produits
sell-button-settings = ⚙️ Paramètres
sell-button-shop-link = 🔗 Lien de ma boutique
sell-button-dashboard = 💼 Tableau de bord
sell-button-cancel = ❌ Annuler
sell-button-back = ⬅️ Étape précédente
sell-button-keep = ✔️ Garder
sell-button-skip = ⏭ Passer
sell-button-publish = 🚀 Publier
sell-button-open-product = 📄 Voir le produit
sell-button-edit-title = ✏️ Titre
sell-button-edit-description = ✏️ Description
sell-button-edit-price = 💲 Prix
sell-button-activate = ✅ Mettre en vente
sell-button-deactivate = ⏸ Retirer de la vente
sell-button-share = 🔗 Partager
sell-button-delete = 🗑 Supprimer
sell-button-delete-yes = 🗑 Oui, supprimer
sell-button-delete-no = ↩️ Non, garder
sell-button-setting-name = Nom
sell-button-setting-bio = Bio
sell-button-setting-email = E-mail
sell-button-setting-address = Adresse de paiement
sell-button-address-yes = ✅ Oui, changer
sell-button-address-no = ❌ Non
sell-wizard-step = ➕ <b>Nouveau produit</b> : étape { $n } sur { $total }
sell-wizard-title = Tapez le <b>titre</b> du produit (5 à 100 caractères).
sell-wizard-description = Tapez la <b>description</b> (1000 caractères au plus), ou passez cette étape.
sell-wizard-category = Choisissez la <b>catégorie</b>.
sell-wizard-price = Tapez le <b>prix</b> en dollars, par exemple 19.99 (de 9.99 à 5000), ou 0 pour un produit gratuit.
sell-wizard-cover = Envoyez une <b>image de couverture</b> (une photo, ou une image JPEG, PNG ou WebP envoyée comme fichier ; 5 Mo au plus), ou passez cette étape.
sell-wizard-file = Envoyez le <b>fichier</b> à vendre, comme document, audio ou vidéo (20 Mo au plus).
sell-wizard-file-page = 📤 Fichier plus gros ? Envoyez-le par la page (jusqu'à 10 Go) : le bot vous prévient ici à son arrivée.
sell-media-file-page = 📤 Fichier plus gros ? Envoyez-le par la page (jusqu'à 10 Go).
sell-upload-page-off = ℹ️ Les fichiers de plus de 20 Mo passent par la page d'envoi, qui s'ouvre dès que la place de marché a une adresse https (l'administrateur règle PUBLIC_URL et le domaine de la Mini App dans BotFather).
sell-button-upload-page = 📤 Envoyer par la page (jusqu'à 10 Go)
sell-wizard-current = Actuellement : <i>{ $value }</i>
sell-wizard-use-buttons = Choisissez la catégorie avec les boutons ci-dessous.
sell-wizard-cover-expected = Envoyez une photo (ou une image comme fichier), ou appuyez sur « Passer ».
sell-wizard-file-expected = Envoyez le fichier comme document (trombone 📎 puis « Fichier »), audio ou vidéo.
sell-wizard-file-too-large = Ce fichier dépasse 20 Mo, le maximum qu'un bot peut récupérer depuis le chat : envoyez-le plutôt par la page d'envoi (voir ci-dessous).
sell-wizard-file-failed = ⚠️ Le fichier n'a pas pu être enregistré. Vos réponses sont conservées : renvoyez le fichier.
sell-wizard-cover-lost = ⚠️ La couverture n'a pas pu être enregistrée ; le produit est créé sans elle.
sell-wizard-cover-failed = ⚠️ L'image n'a pas pu être récupérée depuis Telegram. Renvoyez-la, ou appuyez sur « Passer ».
sell-album-first-only = ℹ️ Seul le premier élément de l'album a été pris.
sell-wizard-cancelled = Ajout du produit annulé.
sell-wizard-step-outdated = Ce bouton appartient à une étape précédente : utilisez le dernier message.
sell-wizard-done =
    ✅ <b>{ $title }</b> est créé en brouillon.

    🆔 <code>{ $id }</code>
    💲 Prix : { $price }

    Publiez-le pour le mettre en vente.
sell-products-title = 📦 <b>Mes produits</b> ({ $total })
sell-products-empty = 📦 Vous n'avez encore aucun produit. Ajoutez le premier !
sell-products-line =
    { $n }. <b>{ $title }</b> · { $status } · { $price }
    👁 { $views ->
        [one] { $views } vue
       *[other] { $views } vues
    } · 🛍 { $sales ->
        [one] { $sales } vente
       *[other] { $sales } ventes
    } · 📈 { $conversion } · ⭐ { $rating }
sell-product =
    📄 <b>{ $title }</b>
    🆔 <code>{ $id }</code> · { $status }
    💲 Prix : { $price }

    👁 Vues : { $views }
    🛍 Ventes : { $sales }
    📈 Conversion : { $conversion }
    ⭐ Note : { $rating } ({ $reviews } avis)
sell-product-banned =
    🚫 <b>Retiré par un administrateur.</b> Motif : { $reason }
    Il reste hors vente tant qu'un administrateur ne l'a pas rétabli ; vos modifications sont conservées. Écrivez à /support si vous pensez à une erreur.
sell-product-no-file = ⚠️ Ce brouillon n'a pas encore de fichier.
sell-status-draft = 📝 Brouillon
sell-status-active = 🟢 En vente
sell-status-inactive = ⏸ Hors vente
sell-status-banned = 🚫 Banni
sell-status-deleted = 🗑 Supprimé
sell-edit-title = Tapez le nouveau <b>titre</b> (5 à 100 caractères).
sell-edit-description = Tapez la nouvelle <b>description</b> (1000 caractères au plus).
sell-edit-price = Tapez le nouveau <b>prix</b>, par exemple 19.99 (de 9.99 à 5000), ou 0 pour gratuit.
sell-edit-saved = ✅ Modification enregistrée.
sell-activated = ✅ Le produit est en vente.
sell-deactivated = ⏸ Le produit est retiré de la vente.
sell-delete-confirm =
    🗑 Supprimer <b>{ $title }</b> (<code>{ $id }</code>) ?

    S'il a déjà été vendu, ses acheteurs gardent leur téléchargement ; sinon il est effacé avec ses fichiers. Cette action est définitive.
sell-deleted = 🗑 Produit supprimé, avec ses fichiers.
sell-deleted-kept = 🗑 Produit supprimé du catalogue ; ses acheteurs gardent l'accès à leur achat.
sell-share =
    🔗 <b>{ $title }</b>

    { $link }
sell-share-not-active = ⚠️ Ce produit n'est pas en vente : le lien ne l'affichera qu'une fois publié.
sell-settings =
    ⚙️ <b>Paramètres vendeur</b>

    Nom : <b>{ $name }</b>
    Bio : { $bio }
    E-mail : { $email }
    Adresse de paiement (Solana) : <code>{ $address }</code>
sell-setting-name = Tapez votre nouveau <b>nom de vendeur</b> (50 caractères au plus).
sell-setting-bio = Tapez votre nouvelle <b>bio</b> (500 caractères au plus).
sell-setting-email = Tapez votre nouvelle <b>adresse e-mail</b>.
sell-setting-address = Tapez votre nouvelle <b>adresse Solana de paiement</b> (32 à 44 caractères).
sell-setting-saved = ✅ Paramètre enregistré.
sell-address-confirm =
    ⚠️ Vos prochains paiements seront envoyés à cette adresse :

    <code>{ $address }</code>

    Confirmez-vous le changement ?
sell-address-changed = ✅ Votre adresse de paiement a changé. Les prochains paiements iront à <code>{ $address }</code>.
sell-address-unchanged = C'était déjà votre adresse de paiement : rien n'a changé.
sell-address-kept = Adresse de paiement inchangée.
sell-error-text-expected = Répondez par un message texte.

## Outils du vendeur : statistiques, exports, modifier une annonce, versions du fichier

sell-button-analytics = 📊 Statistiques
sell-shop-command =
    Les acheteurs peuvent aussi taper (touchez pour copier) :
    <code>{ $command }</code>
sell-shop-no-username = Choisissez un nom d'utilisateur dans les réglages de Telegram : les acheteurs pourront alors taper <code>/shop @votrenom</code>.
sell-analytics-title =
    📊 <b>Statistiques : { $days } derniers jours</b>
    du { $from } au { $to }, comparé aux { $days } jours précédents
sell-analytics-product-title =
    📊 <b>{ $title }</b> : { $days } derniers jours
    du { $from } au { $to }, comparé aux { $days } jours précédents
sell-analytics-revenue = 💵 Revenus : <b>{ $value }</b>{ $change }
sell-analytics-sales = 🛍 Ventes : <b>{ $value }</b>{ $change }
sell-analytics-views = 👁 Vues : <b>{ $value }</b>{ $change }
sell-analytics-conversion = 📈 Conversion : <b>{ $value }</b>{ $change }
sell-analytics-rating = ⭐ Note : <b>{ $value }</b> ({ $reviews } avis){ $change }
sell-analytics-same = (=)
sell-analytics-new = (▲ nouveau)
sell-analytics-points = { $value } pts
sell-analytics-top = 🏆 <b>Meilleurs produits de la période</b>
sell-analytics-top-line = { $n }. { $title } : { $revenue } · { $sales ->
    [one] { $sales } vente
   *[other] { $sales } ventes
}
sell-analytics-top-none = Aucune vente sur cette période.
sell-analytics-period = { $days } jours
sell-analytics-chart-revenue = 📈 Revenus par jour, { $days } derniers jours
sell-analytics-chart-sales = 🛍 Ventes par jour, { $days } derniers jours
sell-chart-revenue = Revenus
sell-chart-sales = Ventes
sell-chart-all-products = Tous les produits
sell-button-export-sales = 🧾 Ventes (CSV)
sell-button-export-products = 📦 Produits (CSV)
sell-button-product-analytics = 📊 Statistiques
sell-export-empty = Rien à exporter pour le moment.
sell-export-sales =
    🧾 <b>Vos ventes</b> : { $count ->
        [one] { $count } ligne
       *[other] { $count } lignes
    }{ $capped ->
        [yes] , les plus récentes
       *[no] {""}
    }. Montants en dollars US ; statut du versement et transaction pour chacune.
sell-export-products =
    📦 <b>Vos produits</b> : { $count ->
        [one] { $count } ligne
       *[other] { $count } lignes
    }, avec vues, ventes, revenus et note.
sell-product-file = 📦 Fichier : version { $version } · { $file } · { $size }
sell-product-pending = ⏳ En attente de publication comme version { $version } : { $file } · { $size }
sell-button-edit-category = 🗂 Catégorie
sell-button-edit-cover = 🖼 Couverture
sell-button-add-preview = ➕ Image d'aperçu
sell-button-edit-preview = 🔍 Image d'aperçu
sell-button-new-version = 📦 Nouvelle version du fichier
sell-button-publish-version = 🚀 Publier la version { $version }
sell-button-discard-version = 🗑 Abandonner le nouveau fichier
sell-edit-category = Choisissez la nouvelle <b>catégorie</b>.
sell-media-file-sold =
    Envoyez la <b>nouvelle version</b> du fichier, en document, audio ou vidéo (20 Mo au plus).
    Vous la publierez ensuite : vos acheteurs sont prévenus et peuvent la télécharger, et chacun garde la version qu'il a achetée.
sell-media-file-unsold = Envoyez le <b>nouveau fichier</b>, en document, audio ou vidéo (20 Mo au plus). Personne n'a encore acheté ce produit : il remplace le fichier actuel.
sell-media-cover = Envoyez la nouvelle <b>image de couverture</b> (une photo, ou une image JPEG, PNG ou WebP envoyée comme fichier ; 5 Mo au plus).
sell-media-preview = Envoyez une <b>image d'aperçu</b> (une photo, ou une image JPEG, PNG ou WebP envoyée comme fichier ; 5 Mo au plus) : les acheteurs la voient avec le bouton Aperçu avant d'acheter.
sell-media-photo-expected = Envoyez une photo (ou une image JPEG, PNG ou WebP comme fichier), ou annulez.
sell-cover-saved = ✅ Couverture remplacée.
sell-preview-saved = ✅ Aperçu enregistré : les acheteurs voient maintenant un bouton Aperçu.
sell-file-replaced = ✅ Fichier remplacé.
sell-version-ready =
    📦 <b>{ $title }</b> : le nouveau fichier est prêt.
    { $file } · { $size }

    Le publier comme version { $version } ? Les acheteurs des versions précédentes sont prévenus dans leur langue et peuvent la télécharger ; chacun garde la version qu'il a achetée. Les nouveaux acheteurs reçoivent la version { $version }.
sell-version-published = 🚀 Version { $version } publiée. { $buyers ->
    [0] Aucun acheteur précédent à prévenir.
    [one] { $buyers } acheteur précédent est prévenu.
   *[other] { $buyers } acheteurs précédents sont prévenus.
}
sell-version-discarded = 🗑 Le nouveau fichier est abandonné ; les acheteurs reçoivent toujours la version actuelle.

## Messages aux vendeurs et aux acheteurs

notice-product-banned =
    🚫 <b>Votre produit a été retiré</b>
    <b>{ $title }</b> (<code>{ $id }</code>) a été retiré de la vente par un administrateur.

    Motif : { $reason }

    Il reste hors vente tant qu'un administrateur ne l'a pas rétabli. Les acheteurs gardent leurs achats. Écrivez à /support si vous pensez à une erreur.
notice-button-open-product = 📄 Ouvrir le produit
notice-upload-ready =
    ✅ <b>{ $file }</b> ({ $size }) est arrivé : <b>{ $title }</b> est prêt.
    Publiez-le pour le mettre en vente.
notice-upload-replaced = ✅ <b>{ $file }</b> ({ $size }) est désormais le fichier de <b>{ $title }</b>.
notice-review-new =
    ⭐ <b>Nouvel avis</b> sur <b>{ $title }</b> : { $stars }{ $hasComment ->
        [yes] {""}

        « { $comment } »
       *[no] {""}
    }
notice-review-edited =
    ✏️ <b>Avis modifié</b> sur <b>{ $title }</b> : { $stars }{ $hasComment ->
        [yes] {""}

        « { $comment } »
       *[no] {""}
    }
notice-new-version =
    📦 <b>Nouvelle version de { $title }</b>
    La version { $version } est disponible : { $file } ({ $size }).

    La version que vous avez achetée (version { $bought }) reste disponible dans votre bibliothèque.
notice-button-download-version = 📥 Télécharger la version { $version }
notice-button-library = 📚 Ma bibliothèque

## Acheter : catalogue, fiches, recherche, boutiques

browse-not-available = Ce contenu n'est pas (ou plus) disponible, ou il ne vous appartient pas.
browse-categories =
    🛒 <b>Catalogue</b>
    Choisissez une catégorie :

    🔎 Ou tapez un identifiant de produit ou des mots-clés pour chercher.
browse-empty-category =
    { $category }
    Aucun produit dans cette catégorie pour le moment.
browse-badge-best-seller = 🔥 Meilleure vente
browse-badge-new = 🆕 Nouveau
browse-badge-top-rated = 🏆 Top noté
browse-badge-popular = 👀 Populaire
browse-rating = ★ { $rating }/5 ({ $count } avis)
browse-no-rating = ☆ Pas encore d'avis
browse-free = Gratuit
browse-card =
    { $badges }<b>{ $title }</b>
    par { $seller }
    { $rating } • { $sales ->
        [0] aucune vente
        [one] 1 vente
       *[other] { $sales } ventes
    }{ $details }
    🏷️ { $price }
browse-detail =
    { $card }
    { $description }
    🔖 ID : <code>{ $id }</code> • 👁 { $views ->
        [one] { $views } vue
       *[other] { $views } vues
    }
    💡 Tapez cet identifiant à tout moment pour retrouver le produit.
browse-button-buy = 💳 Acheter – { $price }
browse-button-get-free = 🎁 L'obtenir gratuitement
browse-button-details = ℹ️ Détails
browse-button-reviews = ⭐ Avis ({ $count })
browse-button-preview = 👁 Aperçu
browse-button-shop = 🏪 Boutique du vendeur
browse-button-back = ⬅️ Retour
browse-button-categories = 📂 Catégories
browse-product-not-found = 🔎 Ce produit n'est pas disponible : il a peut-être été retiré de la vente.
browse-shop-header = 🏪 <b>{ $name }</b> • { $products ->
        [one] { $products } produit
       *[other] { $products } produits
    } • { $sales ->
        [one] { $sales } vente
       *[other] { $sales } ventes
    } • { $rating }
browse-shop-empty = Cette boutique n'a aucun produit en vente pour le moment.
browse-shop-not-found = Cette boutique n'existe pas ou n'est pas ouverte.
browse-shop-usage = 🏪 Ouvrez une boutique avec son lien, ou tapez <code>/shop @pseudo</code> avec le nom d'utilisateur Telegram du vendeur.
browse-shop-unknown = 🏪 Aucune boutique ne s'appelle <b>{ $name }</b>. Vérifiez l'orthographe, ou demandez au vendeur le lien de sa boutique.
browse-reviews-title =
    ⭐ <b>Avis sur { $title }</b>
    { $rating }
browse-reviews-none = Aucun avis écrit pour le moment.
browse-review-line = <b>{ $name }</b> { $stars } · { $age }{ $text }
browse-preview-caption = 👁 Aperçu de <b>{ $title }</b>
browse-preview-unavailable = Ce produit n'a pas d'aperçu.
browse-search-results = 🔎 <b>{ $count ->
        [one] 1 résultat
       *[other] { $count } résultats
    }</b> pour « { $query } » :
browse-search-none =
    🔎 Aucun résultat pour « { $query } ».
    Essayez moins de mots, d'autres mots, ou un identifiant de produit comme <code>P-7K3M9QXD4T</code>.

## Acheter : commande et paiement

buy-already-yours =
    ✅ <b>Ce produit est déjà à vous.</b>
    Retrouvez-le dans votre bibliothèque et téléchargez-le quand vous voulez.
buy-free-delivered =
    🎁 <b>{ $title }</b> est à vous !
    Il est dans votre bibliothèque : téléchargez-le dès maintenant.
buy-choose-coin =
    💳 <b>{ $title }</b>

    Prix : { $price }
    Frais de service : { $fee }
    <b>Total : { $total }</b>

    Choisissez la crypto de paiement (SOL, USDT et USDC sur Solana : 1 à 3 minutes) :
buy-payment =
    💳 <b>Paiement de { $title }</b>
    Total : { $total } (frais inclus)

    Envoyez <b>exactement</b> :
    <code>{ $amount }</code> { $coin }
    à cette adresse :
    <code>{ $address }</code>

    🧾 Commande { $order }
    ⏳ Valable jusqu'au { $expires } ({ $left })
    Le produit vous est envoyé ici dès que le paiement est confirmé.
buy-button-refresh = 🔄 Actualiser le statut
buy-button-other-coin = 🔁 Autre crypto
buy-button-library = 📚 Ma bibliothèque
buy-button-download = 📥 Télécharger
buy-status-checking = 🔄 Vérification du paiement…
buy-payment-preparing = ⏳ Préparation de votre adresse de paiement…
buy-status-paid = ✅ <b>Paiement reçu !</b> Votre achat est dans votre bibliothèque.
buy-status-partial = ⚠️ Paiement partiel reçu : il manque <code>{ $missing }</code> { $coin }, à envoyer à la même adresse.
buy-status-waiting = ⏳ Paiement en attente (statut : { $status }). Comptez 5 à 30 minutes selon la crypto.
buy-status-expired = ⌛ Ce paiement a expiré. Ouvrez à nouveau le produit pour payer.
buy-status-failed = ❌ Ce paiement a échoué. Ouvrez à nouveau le produit pour réessayer.
buy-status-refunded = ↩️ Ce paiement a été remboursé.

## Bibliothèque

library-empty =
    📚 <b>Votre bibliothèque est vide.</b>
    Vos achats apparaîtront ici, à télécharger quand vous voulez.
library-card =
    📚 <b>{ $title }</b>
    par { $seller }
    Acheté { $price } le { $date } • commande { $order }
library-removed = ℹ️ Le vendeur a retiré ce produit de la vente : il reste à vous.
library-file = 📦 { $file } • { $size }
library-downloads = 📥 { $downloads ->
    [one] { $downloads } téléchargement
   *[other] { $downloads } téléchargements
}
library-file-gone = 📦 Le fichier n'est plus disponible.
library-version-only = 📦 Version { $version } • { $file } • { $size }
library-version-latest = 📦 Version { $version } (la plus récente) • { $file } • { $size }
library-version-bought = 📦 La version { $version } (votre achat) reste disponible.
library-button-download-latest = 📥 Version { $version } (la plus récente)
library-button-download-bought = 📥 Version { $version } (votre achat)
library-review-current = Votre commentaire actuel : <i>{ $comment }</i>
library-button-keep-comment = ✅ Garder mon commentaire
library-button-no-comment = ✅ Publier sans commentaire
library-button-browse = 🛒 Parcourir le catalogue
library-button-open-page = 📚 Ouvrir ma bibliothèque
library-button-back = 📚 Retour à la bibliothèque
library-button-download = 📥 Télécharger
library-button-review = ⭐ Laisser un avis
library-button-edit-review = ✏️ Modifier mon avis
library-button-contact = 💬 Contacter le vendeur
library-button-report = ⚠️ Signaler un problème
library-button-open-link = 📥 Ouvrir le lien de téléchargement
library-button-cancel = ❌ Annuler
library-download-ready = 📥 Votre lien pour <b>{ $title }</b>, version { $version } ({ $file }) : valable 5 minutes, une seule fois.
library-download-limit = Trop de liens demandés : réessayez dans { $minutes } min.
library-file-unavailable = Le fichier de cet achat n'est plus disponible : signalez un problème.
library-rate = ⭐ Quelle note donnez-vous à <b>{ $title }</b> ?
library-rating-saved = Note enregistrée
library-review-text =
    { $stars } enregistré.
    Ajoutez un commentaire ({ $min } à { $max } caractères), ou publiez votre avis tel quel.
library-review-saved = ✅ Merci ! Votre avis est publié.
library-contact-prompt =
    💬 Votre message au vendeur de <b>{ $title }</b> (commande { $order }), de { $min } à { $max } caractères.
    Il est transmis par le bot : personne ne voit le compte Telegram de l'autre.
library-report-prompt =
    ⚠️ Décrivez le problème avec <b>{ $title }</b> (commande { $order }), de { $min } à { $max } caractères.
    Un administrateur vous répond ici.
library-text-invalid = ✏️ Le texte doit faire entre { $min } et { $max } caractères. Réessayez, ou annulez.
library-contact-sent = ✅ Message transmis au vendeur (ticket n° { $ticket }). Sa réponse arrivera ici.
library-report-sent = ✅ Problème signalé (ticket n° { $ticket }). Un administrateur vous répond ici.
library-contact-relay =
    📩 <b>Message d'un acheteur</b> au sujet de <b>{ $title }</b> (commande { $order }, ticket n° { $ticket }) :

    { $text }
tickets-subject-prompt = ✉️ <b>Nouveau ticket</b>, étape 1/3 : l'objet de votre question, de { $min } à { $max } caractères, sur une ligne.
tickets-subject-invalid = ✏️ L'objet doit faire de { $min } à { $max } caractères, sur une ligne. Réessayez, ou annulez.
tickets-message-prompt = ✉️ Étape 2/3 : décrivez votre question sur <b>{ $subject }</b>, de { $min } à { $max } caractères.
tickets-message-invalid = ✏️ Le message doit faire de { $min } à { $max } caractères. Réessayez, ou annulez.
tickets-email-prompt = ✉️ Étape 3/3 : une adresse email où nous pouvons aussi vous répondre, ou passez.
tickets-email-invalid = ✏️ Cette adresse email n'est pas valide. Réessayez, passez ou annulez.
tickets-created = ✅ Ticket n°{ $ticket } créé. Un administrateur vous répond ici ; suivez-le dans « Mes tickets ».
tickets-cancelled = Annulé : rien n'a été envoyé.
tickets-list-title = 🗂 <b>Mes tickets</b> ({ $total }) : choisissez-en un pour lire la conversation.
tickets-list-empty = 🗂 Vous n'avez encore aucun ticket.
tickets-thread =
    🎫 <b>Ticket n°{ $ticket }</b> : { $subject }
    Statut : { $status }{ $order }

    { $messages }
tickets-thread-order = {" "}· commande { $order }
tickets-thread-earlier = … les messages plus anciens ne sont pas affichés.
tickets-message-line =
    <b>{ $author }</b> · { $date }
    { $text }
tickets-role-you = Vous
tickets-role-user = Utilisateur
tickets-role-buyer = Acheteur
tickets-role-seller = Vendeur
tickets-role-support = Support
tickets-status-open = 🟢 ouvert
tickets-status-pending-user = 💬 en attente de votre réponse
tickets-status-pending-admin = ⏳ en attente d'une réponse
tickets-status-resolved = ✅ résolu
tickets-status-closed = 🔒 fermé
tickets-status-changed = Ticket { $status }
tickets-status-refused = Ce changement n'est pas possible pour ce ticket.
tickets-not-available = Ce ticket n'existe pas ou ne vous appartient pas.
tickets-closed-for-replies = Ce ticket est fermé : on ne peut plus y répondre.
tickets-reply-prompt = ✍️ Votre réponse au ticket n°{ $ticket } (<b>{ $subject }</b>), de { $min } à { $max } caractères.
tickets-reply-sent = ✅ Réponse ajoutée au ticket n°{ $ticket }.
tickets-relay =
    📩 <b>Ticket n°{ $ticket }</b> : { $subject }
    De : { $author }

    { $text }
tickets-button-open = 🎫 Ouvrir le ticket
tickets-button-reply = ✍️ Répondre
tickets-button-resolve = ✅ Marquer résolu
tickets-button-close = 🔒 Fermer
tickets-button-back = ⬅️ Mes tickets
tickets-button-skip = ⏭ Passer
tickets-button-cancel = ❌ Annuler
tickets-button-inbox = 📥 Dans la boîte du support
tickets-kind-support = 💬 support
tickets-kind-report = ⚠️ signalement de problème
tickets-kind-thread = 🔁 fil acheteur–vendeur
tickets-about-order = 🧾 Commande <code>{ $order }</code> : { $title } (<code>{ $product }</code>)
tickets-relay-admin =
    📩 <b>Ticket n°{ $ticket }</b> · { $kind }
    <b>{ $subject }</b>
    👤 { $who }{ $about }

    ✍️ <b>{ $author }</b> :
    { $text }


## Administration (la console d'administration, ses avis, l'historique des paiements du vendeur)

admin-menu =
    🛠 <b>Administration</b>
    Connecté en tant qu'administrateur ({ $id }).
    { $waiting ->
        [0] 📥 Aucun ticket n'attend de réponse.
        [one] 📥 1 ticket attend une réponse.
       *[other] 📥 { $waiting } tickets attendent une réponse.
    }
admin-button-inbox =
    { $waiting ->
        [0] 📥 Boîte du support
       *[other] 📥 Boîte du support ({ $waiting })
    }
admin-button-users = 👤 Utilisateurs
admin-button-products = 📦 Produits
admin-button-payouts = 💸 Paiements
admin-button-exports = 📄 Exports (CSV)
admin-button-audit = 📜 Journal d'audit
admin-button-stats = 📊 Statistiques
admin-button-back = ⬅️ Administration
admin-button-cancel = ❌ Annuler
admin-button-history = 📜 Historique
admin-button-back-to-card = ⬅️ Retour à la fiche
admin-button-author = 👤 Auteur
admin-button-product = 📦 Produit
admin-button-seller = 💼 Vendeur
admin-cancelled = Annulé.
admin-stats =
    📊 <b>Statistiques</b>
    Utilisateurs : { $users } (vendeurs : { $sellers }, suspendus : { $suspended })
    Produits : { $listed } publiés, { $active } en vente, { $banned } bannis
    Commandes payées : { $orders } — { $gross } payés par les acheteurs, { $fees } de frais
    30 derniers jours : { $orders30 } commandes — { $gross30 }

# Boîte du support
admin-inbox =
    📥 <b>Boîte du support</b> · { $filter }

    { $count ->
        [0] Rien ici.
       *[other] { $list }
    }
admin-inbox-filter-open = 🟢 Nouveaux ({ $count })
admin-inbox-filter-pending-admin = ⏳ À répondre ({ $count })
admin-inbox-filter-pending-user = 💬 Attente utilisateur ({ $count })
admin-inbox-filter-resolved = ✅ Résolus ({ $count })
admin-inbox-line =
    { $icon } <b>n°{ $ticket }</b> { $subject }
    {"   "}{ $who } { $username } · { $kind } · { $date }
admin-ticket =
    🎫 <b>Ticket n°{ $ticket }</b> · { $kind }
    <b>{ $subject }</b>
    Statut : { $status }
    👤 { $who }
    { $order }{ $seller }🕓 Ouvert le { $opened } · { $messages ->
        [one] 1 message
       *[other] { $messages } messages
    }

    { $thread }
admin-ticket-order =
    🧾 Commande <code>{ $order }</code> : { $title } (<code>{ $product }</code>) · { $total } · payée le { $paid }
    {""}
admin-ticket-seller =
    💼 Vendeur : { $name } (<code>{ $id }</code>){ $inThread ->
        [yes] {""}
       *[no] {" "}· ne participe pas à ce ticket
    }
    {""}
admin-ticket-status-open = 🟢 nouveau, sans réponse
admin-ticket-status-pending-admin = ⏳ attend la réponse d'un admin
admin-ticket-status-pending-user = 💬 attend l'utilisateur
admin-ticket-status-resolved = ✅ résolu
admin-ticket-status-closed = 🔒 fermé
admin-ticket-to-pending-user = 💬 Attendre l'utilisateur
admin-ticket-to-pending-admin = ⏳ Rouvrir
admin-ticket-to-resolved = ✅ Résolu
admin-ticket-to-closed = 🔒 Fermer
admin-ticket-moved = Désormais : { $status }
admin-button-inbox-back = ⬅️ Boîte du support
admin-notice-ticket-resolved = ✅ Le support a marqué votre ticket n°{ $ticket } (<b>{ $subject }</b>) comme résolu. Écrivez-y si vous avez encore besoin d'aide.
admin-notice-ticket-closed = 🔒 Le support a fermé votre ticket n°{ $ticket } (<b>{ $subject }</b>). Ouvrez un nouveau ticket si vous avez encore besoin d'aide.

# Utilisateurs
admin-users-newest = 🆕 Récents
admin-users-spent = 💰 Top acheteurs
admin-users-suspended = ⛔ Suspendus
admin-users-title = 👤 <b>Utilisateurs</b> · { $order } ({ $count })
admin-users-results = 🔎 <b>Utilisateurs correspondant à « { $search } »</b> ({ $count })
admin-users-none = Personne ici.
admin-users-line =
    { $suspended ->
        [yes] ⛔
       *[no] •
    } <b>{ $name }</b> { $username } · <code>{ $id }</code> · { $spent } dépensés{ $shop }
admin-button-search-users = 🔎 Chercher par id, @pseudo, nom ou email
admin-user-search-prompt = 🔎 Envoyez un id Telegram, un @pseudo, un nom ou une adresse email (majuscules et accents facultatifs).
admin-user-head = 👤 <b>{ $name }</b> { $username } · id <code>{ $id }</code>
admin-user-contact = ✉️ { $email } · 🌐 { $language } · depuis le { $since }
admin-user-buyer =
    🛒 { $count ->
        [one] { $count } achat
       *[other] { $count } achats
    } · { $spent } dépensés
admin-user-seller =
    💼 Boutique <b>{ $shop }</b> : { $products ->
        [one] { $products } produit
       *[other] { $products } produits
    }, { $sales ->
        [one] { $sales } vente
       *[other] { $sales } ventes
    } ({ $revenue })
    Portefeuille : <code>{ $wallet }</code>
admin-user-not-seller = 💼 Pas vendeur.
admin-user-active = ✅ Actif
admin-user-bot-blocked = 📵 A bloqué le bot le { $since } : les messages ne lui parviennent pas.
admin-user-suspended =
    ⛔ Suspendu { $timed ->
        [yes] jusqu'au { $until }
       *[no] jusqu'à ce qu'un admin le rétablisse
    } : { $reason }
admin-user-orders = 🧾 <b>Dernières commandes</b> (payées : { $count })
admin-user-sales = 💰 <b>Dernières ventes</b> ({ $count })
admin-user-tickets = 🎫 <b>Tickets</b> ({ $count })
admin-user-order-line = • <code>{ $order }</code> { $title } · { $amount } · { $status } · { $date }
admin-order-status-pending = 🕓 pas encore payée
admin-order-status-waiting = ⏳ paiement attendu
admin-order-status-partially-paid = ⚠️ payée en partie
admin-order-status-paid = ✅ payée
admin-order-status-expired = ⌛ expirée
admin-order-status-failed = ❌ échouée
admin-order-status-cancelled = 🚫 annulée
admin-order-status-refunded = ↩️ remboursée
admin-order-status-paid-unreachable = 📵 payée, non livrée : l'acheteur a bloqué le bot (envoyée à son retour)
admin-button-suspend = ⛔ Suspendre
admin-button-restore-user = ♻️ Rétablir l'utilisateur
admin-button-users-back = ⬅️ Utilisateurs
admin-suspend-prompt = ⛔ Suspendre <b>{ $name }</b> (<code>{ $id }</code>) : envoyez le motif. Il le lira.
admin-suspend-until-prompt =
    ⛔ Suspendre <b>{ $name }</b> (<code>{ $id }</code>) pour : { $reason }

    Jusqu'à quand ? Choisissez ci-dessous, ou tapez une durée (12h, 3j) ou une date de fin en UTC (2026-12-31 ou 2026-12-31 18:00).
admin-suspend-days =
    { $count ->
        [one] { $count } jour
       *[other] { $count } jours
    }
admin-suspend-indefinite = Jusqu'à ce que je le rétablisse
admin-user-suspended-done =
    ⛔ Utilisateur { $id } suspendu. { $told ->
        [yes] Il a été prévenu du motif.
       *[no] Il n'a pas pu être prévenu (il n'a jamais ouvert le bot, ou l'a bloqué).
    }
admin-user-restored =
    ♻️ Utilisateur { $id } rétabli. { $told ->
        [yes] Il a été prévenu.
       *[no] Il n'a pas pu être prévenu.
    }
admin-notice-suspended =
    ⛔ <b>Votre compte est suspendu</b> { $timed ->
        [yes] jusqu'au { $until }
       *[no] jusqu'à ce qu'un administrateur lève la suspension
    } : vous ne pouvez ni acheter ni vendre d'ici là.
    Motif : { $reason }

    Contactez le support si vous pensez qu'il s'agit d'une erreur.
admin-notice-restored = ♻️ <b>Votre compte est de nouveau actif</b> : vous pouvez acheter et vendre comme avant.
admin-notice-suspension-ended = ♻️ <b>Votre suspension est terminée</b> : votre compte est de nouveau actif.

# Produits
admin-products-all = 📦 Tous
admin-product-status-active = ✅ En vente
admin-product-status-inactive = ⏸ Hors vente
admin-product-status-draft = 📝 Brouillons
admin-product-status-banned = 🚫 Bannis
admin-product-status-deleted = 🗑 Supprimés
admin-products-title = 📦 <b>Produits</b> · { $filter } ({ $count })
admin-products-results = 🔎 <b>Produits correspondant à « { $search } »</b> ({ $count })
admin-products-none = Aucun produit ici.
admin-products-line = { $icon } <b>{ $title }</b> · <code>{ $id }</code> · { $price } · { $shop } · { $sales ->
        [one] { $sales } vente
       *[other] { $sales } ventes
    }
admin-button-search-products = 🔎 Chercher par id ou mots
admin-product-search-prompt = 🔎 Envoyez un id de produit (ex. P-23456789AB) ou des mots de son titre ou de sa description.
admin-product-card =
    📦 <b>{ $title }</b> · <code>{ $id }</code>
    💼 { $shop } (<code>{ $sellerId }</code>) · { $price } · { $category }
    Statut : { $status }{ $banned ->
        [yes] {""} : { $reason }
       *[no] {""}
    }
    📈 { $sales ->
        [one] { $sales } vente
       *[other] { $sales } ventes
    } · { $views ->
        [one] { $views } vue
       *[other] { $views } vues
    } · publié le { $created }
admin-button-ban = 🚫 Bannir
admin-button-restore-active = ♻️ Rétablir, en vente
admin-button-restore-inactive = ♻️ Rétablir, hors vente
admin-button-products-back = ⬅️ Produits
admin-ban-prompt = 🚫 Bannir <b>{ $title }</b> (<code>{ $id }</code>) : choisissez le motif que lira le vendeur, ou tapez le vôtre.
admin-ban-preset-copyright = ©️ Droits d'auteur
admin-ban-preset-illegal = ⚖️ Contenu illégal
admin-ban-preset-scam = 🎣 Arnaque ou fraude
admin-ban-preset-misleading = 🤥 Description trompeuse
admin-ban-preset-malware = 🦠 Logiciel malveillant
admin-ban-reason-copyright = Ce produit enfreint les droits d'auteur d'un tiers.
admin-ban-reason-illegal = Ce produit contient un contenu illégal.
admin-ban-reason-scam = Ce produit est une arnaque ou a été signalé pour fraude.
admin-ban-reason-misleading = La description ne correspond pas à ce que reçoivent les acheteurs.
admin-ban-reason-malware = Le fichier contient un logiciel malveillant.
admin-product-banned =
    🚫 Produit { $id } banni. { $told ->
        [yes] Le vendeur a été prévenu du motif.
       *[no] Le vendeur n'a pas pu être prévenu.
    }
admin-product-restored =
    ♻️ Produit { $id } rétabli{ $status ->
        [active] {""}, de nouveau en vente.
       *[other] {""}, hors vente jusqu'à ce que son vendeur le remette en vente.
    } { $told ->
        [yes] Le vendeur a été prévenu.
       *[no] Le vendeur n'a pas pu être prévenu.
    }
admin-notice-product-restored =
    ♻️ <b>Votre produit { $title }</b> (<code>{ $id }</code>) a été rétabli par un administrateur{ $status ->
        [active] {""} : il est de nouveau en vente.
       *[other] {""} : remettez-le en vente depuis vos produits quand vous le souhaitez.
    }

# Paiements
admin-payouts =
    💸 <b>Paiements</b>
    Dû maintenant : <b>{ $total }</b> · { $lines ->
        [one] { $lines } ligne
       *[other] { $lines } lignes
    } · { $sellers ->
        [one] { $sellers } vendeur
       *[other] { $sellers } vendeurs
    }
    En séquestre : { $escrow } (dû sous 24 h){ $truncated ->
        [yes] {""}
          Seules les lignes les plus anciennes sont listées, et payées d'un coup : payez-les, puis revenez pour le reste.
       *[no] {""}
    }
admin-payouts-empty = ✅ Rien à payer : tous les gains disponibles ont été versés.
admin-payouts-sellers = Vendeurs à payer, dette la plus ancienne d'abord :
admin-payouts-seller-line = • <b>{ $name }</b> — { $amount } · { $count ->
        [one] { $count } ligne
       *[other] { $count } lignes
    } · depuis le { $since }
admin-payouts-seller =
    💼 <b>{ $name }</b> · id <code>{ $id }</code>
    Portefeuille (USDT sur Solana) : <code>{ $wallet }</code>
    Dû : <b>{ $total }</b> · { $count ->
        [one] { $count } ligne
       *[other] { $count } lignes
    }
admin-payouts-seller-empty = ✅ Rien n'est dû au vendeur { $id } pour l'instant.
admin-payouts-line = • <code>{ $order }</code> { $title } — { $amount } · dû depuis le { $since }
admin-payouts-changed = Les montants dus ont changé depuis l'affichage de cet écran : les voici à jour. Rien n'a été payé.
admin-button-pay-all = ✅ Tout marquer payé · { $amount }
admin-button-pay-seller =
    ✅ Marquer { $count ->
        [one] cette ligne payée
       *[other] ces { $count } lignes payées
    } · { $amount }
admin-button-pay-line = ✅ { $order } · { $amount }
admin-button-payouts-back = ⬅️ Paiements
admin-button-export-payouts = 📄 Exporter les paiements (CSV)
admin-tx-prompt =
    💸 Envoyez <b>{ $amount }</b> en USDT sur Solana ({ $lines ->
        [one] { $lines } ligne
       *[other] { $lines } lignes
    }, { $sellers ->
        [one] { $sellers } vendeur
       *[other] { $sellers } vendeurs
    }) :
    { $wallets }{ $more ->
        [0] {""}
       *[other] {""}
          … et { $more } autres vendeurs
    }

    Puis envoyez ici la signature de la transaction Solana.
admin-payout-done =
    ✅ { $count ->
        [one] { $count } ligne marquée payée
       *[other] { $count } lignes marquées payées
    } : { $amount }.
    Transaction : <code>{ $tx }</code>
    { $told ->
        [0] Aucun vendeur n'a pu être prévenu.
       *[other] Vendeurs prévenus : { $told } sur { $sellers }.
    }{ $skipped ->
        [0] {""}
       *[other] {""}
          { $skipped ->
              [one] { $skipped } ligne avait été payée entre-temps : elle n'a pas été payée deux fois.
             *[other] { $skipped } lignes avaient été payées entre-temps : elles n'ont pas été payées deux fois.
          }
    }
admin-notice-paid =
    💸 <b>Paiement envoyé</b> : { $amount } en USDT sur votre portefeuille Solana, pour { $count ->
        [one] { $count } vente
       *[other] { $count } ventes
    }.
    Transaction : <code>{ $tx }</code>

# Exports
admin-exports = 📄 <b>Exports</b> : un fichier CSV (UTF-8, séparé par des virgules) envoyé ici. Montants en USD, heures en UTC.
admin-export-users = 👤 Utilisateurs
admin-export-products = 📦 Produits
admin-export-orders = 🧾 Commandes
admin-export-payouts = 💸 Paiements
admin-export-preparing = Préparation du fichier…
admin-export-caption =
    📄 { $kind } : { $rows ->
        [one] { $rows } ligne
       *[other] { $rows } lignes
    }{ $truncated ->
        [yes] {""} (les plus récentes seulement)
       *[no] {""}
    }

# Journal d'audit
admin-audit = 📜 <b>Journal d'audit</b> ({ $count })
admin-audit-history = 📜 <b>Historique de { $type } { $id }</b> ({ $count })
admin-audit-empty = Rien d'enregistré pour l'instant.
admin-audit-entry =
    <b>{ $date }</b> · { $admin } <code>{ $adminId }</code>
    { $what }
admin-audit-user-suspend =
    ⛔ a suspendu { $target } { $timed ->
        [yes] jusqu'au { $until }
       *[no] jusqu'à rétablissement
    } : { $reason }
admin-audit-user-restore = ♻️ a rétabli { $target }
admin-audit-product-ban = 🚫 a banni { $target } : { $reason }
admin-audit-product-restore = ♻️ a rétabli { $target } ({ $status })
admin-audit-payout-paid =
    💸 a payé { $target } { $amount } ({ $count ->
        [one] { $count } ligne
       *[other] { $count } lignes
    }), tx { $tx }
admin-audit-ticket-reply = ✍️ a répondu au ticket { $target }
admin-audit-ticket-status = 🎫 a passé le ticket { $target } à { $status }
admin-audit-export = 📄 a exporté { $kind } ({ $rows } lignes)
admin-audit-other = { $action } { $target }

# L'historique des paiements du vendeur
sell-button-payouts = 💸 Mes paiements
sell-payouts =
    💸 <b>Mes paiements</b>
    En séquestre : { $escrow } · À recevoir : { $available } · Reçu : { $paid }
sell-payouts-transfers =
    { $count ->
        [one] { $count } virement :
       *[other] { $count } virements, du plus récent au plus ancien :
    }
sell-payouts-line =
    • { $date } — <b>{ $amount }</b> · { $count ->
        [one] { $count } vente
       *[other] { $count } ventes
    }
    {"  "}{ $tx }
sell-payouts-none = Aucun paiement pour l'instant. Une fois une vente sortie de ses 24 h de séquestre, un administrateur vous l'envoie en USDT sur votre portefeuille Solana et elle apparaît ici avec sa transaction.
