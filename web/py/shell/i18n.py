"""The game's own words in the visitor's language (pure: no browser imports).

Level texts (titles, hints, "about") come from the level pack in the pack's
languages (docs/levelpack.md).  This module holds everything else a visitor
reads: the presenter's messages, the core's hints and framing reasons (which
arrive as a key plus parameters, with English as the fallback text), and the
page's fixed texts (``data-i18n`` elements of index.html, written in English
in the page itself).

Side words agree with the noun in each language, so a template names the
form it needs: ``{side}`` (English), ``{side_m}``, ``{side_f}``, ``{side_n}``
for a masculine, feminine or neuter noun (German: the accusative after
"dein").  A language that lacks a key shows the English text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

UI_LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es")
DEFAULT_LANGUAGE = "en"

# language -> grammatical form -> side -> word
SIDE_WORDS: dict[str, dict[str, dict[str, str]]] = {
    "en": {"": {"left": "left", "right": "right"}},
    "fr": {
        "m": {"left": "gauche", "right": "droit"},
        "f": {"left": "gauche", "right": "droite"},
    },
    "de": {
        "m": {"left": "linken", "right": "rechten"},
        "f": {"left": "linke", "right": "rechte"},
        "n": {"left": "linkes", "right": "rechtes"},
    },
    "es": {
        "m": {"left": "izquierdo", "right": "derecho"},
        "f": {"left": "izquierda", "right": "derecha"},
    },
}

# The presenter's messages: key -> language -> template.
MESSAGES: dict[str, dict[str, str]] = {
    "start.lead": {
        "en": "Copy the pose of the figure in each artwork.\n{levels} artworks, {seconds} seconds!",
        "fr": "Copie la pose du personnage de chaque œuvre.\n{levels} œuvres, {seconds} secondes !",
        "de": "Mach die Pose der Figur in jedem Kunstwerk nach.\n"
        "{levels} Kunstwerke, {seconds} Sekunden!",
        "es": "Imita la pose de la figura de cada obra.\n¡{levels} obras, {seconds} segundos!",
    },
    "start.kiosk_lead": {
        "en": "Step in front of the camera to play!",
        "fr": "Place-toi devant la caméra pour jouer !",
        "de": "Stell dich vor die Kamera, um zu spielen!",
        "es": "¡Ponte delante de la cámara para jugar!",
    },
    "results.won": {
        "en": "You did it!",
        "fr": "Tu as réussi !",
        "de": "Geschafft!",
        "es": "¡Lo lograste!",
    },
    "results.finished": {
        "en": "Well done!",
        "fr": "Bravo !",
        "de": "Gut gemacht!",
        "es": "¡Bien hecho!",
    },
    "results.time_up": {
        "en": "Time's up!",
        "fr": "Temps écoulé !",
        "de": "Die Zeit ist um!",
        "es": "¡Se acabó el tiempo!",
    },
    "results.score": {
        "en": "Score: {score}",
        "fr": "Score : {score}",
        "de": "Punkte: {score}",
        "es": "Puntos: {score}",
    },
    "results.cleared": {
        "en": "Matched in {seconds} s",
        "fr": "Réussi en {seconds} s",
        "de": "Geschafft in {seconds} s",
        "es": "Conseguido en {seconds} s",
    },
    "results.skipped": {
        "en": "Skipped",
        "fr": "Passé",
        "de": "Übersprungen",
        "es": "Saltado",
    },
    "results.missed": {
        "en": "Missed",
        "fr": "Manqué",
        "de": "Verpasst",
        "es": "Fallado",
    },
    "results.about": {
        "en": "About this artwork",
        "fr": "À propos de cette œuvre",
        "de": "Über dieses Kunstwerk",
        "es": "Sobre esta obra",
    },
    "story.points": {
        "en": "+{points} points",
        "fr": "+{points} points",
        "de": "+{points} Punkte",
        "es": "+{points} puntos",
    },
    "play.cleared": {
        "en": "Great!",
        "fr": "Super !",
        "de": "Super!",
        "es": "¡Genial!",
    },
    "play.framing": {
        "en": "Stand where the camera can see you",
        "fr": "Place-toi là où la caméra te voit",
        "de": "Stell dich so hin, dass die Kamera dich sieht",
        "es": "Ponte donde la cámara te vea",
    },
    "play.get_ready": {
        "en": "Get ready!",
        "fr": "Prépare-toi !",
        "de": "Mach dich bereit!",
        "es": "¡Prepárate!",
    },
    "play.hold_still": {
        "en": "Hold still…",
        "fr": "Ne bouge plus…",
        "de": "Halt still…",
        "es": "No te muevas…",
    },
    "artwork.alt": {
        "en": "{title} by {artist}",
        "fr": "{title}, par {artist}",
        "de": "{title} von {artist}",
        "es": "{title}, de {artist}",
    },
}

# The core's hints and framing reasons, by key (see strike_a_pose.verdicts
# and strike_a_pose.reasons; "show_limb" is split by its ``part``).  English
# comes from the core itself.
HINTS: dict[str, dict[str, str]] = {
    "hold": {"fr": "Tiens la pose !", "de": "Halte die Pose!", "es": "¡Mantén la pose!"},
    "raise_arm": {
        "fr": "Lève ton bras {side_m} plus haut",
        "de": "Heb deinen {side_m} Arm höher",
        "es": "Sube más tu brazo {side_m}",
    },
    "lower_arm": {
        "fr": "Baisse ton bras {side_m}",
        "de": "Senk deinen {side_m} Arm",
        "es": "Baja tu brazo {side_m}",
    },
    "arm_out": {
        "fr": "Écarte ton bras {side_m} du corps",
        "de": "Streck deinen {side_m} Arm weiter vom Körper weg",
        "es": "Separa tu brazo {side_m} del cuerpo",
    },
    "arm_in": {
        "fr": "Rapproche ton bras {side_m} du corps",
        "de": "Nimm deinen {side_m} Arm näher an den Körper",
        "es": "Acerca tu brazo {side_m} al cuerpo",
    },
    "bend_arm": {
        "fr": "Plie davantage ton bras {side_m}",
        "de": "Beug deinen {side_m} Arm stärker",
        "es": "Dobla más tu brazo {side_m}",
    },
    "straighten_arm": {
        "fr": "Tends ton bras {side_m}",
        "de": "Streck deinen {side_m} Arm",
        "es": "Estira tu brazo {side_m}",
    },
    "raise_hand": {
        "fr": "Lève ta main {side_f} plus haut",
        "de": "Heb deine {side_f} Hand höher",
        "es": "Sube más tu mano {side_f}",
    },
    "lower_hand": {
        "fr": "Baisse ta main {side_f}",
        "de": "Senk deine {side_f} Hand",
        "es": "Baja tu mano {side_f}",
    },
    "raise_leg": {
        "fr": "Lève ta jambe {side_f} plus haut",
        "de": "Heb dein {side_n} Bein höher",
        "es": "Sube más tu pierna {side_f}",
    },
    "lower_leg": {
        "fr": "Baisse ta jambe {side_f}",
        "de": "Senk dein {side_n} Bein",
        "es": "Baja tu pierna {side_f}",
    },
    "leg_out": {
        "fr": "Écarte ta jambe {side_f} sur le côté",
        "de": "Stell dein {side_n} Bein weiter zur Seite",
        "es": "Separa tu pierna {side_f} hacia el lado",
    },
    "leg_in": {
        "fr": "Rapproche ta jambe {side_f}",
        "de": "Nimm dein {side_n} Bein näher heran",
        "es": "Acerca tu pierna {side_f}",
    },
    "bend_knee": {
        "fr": "Plie ton genou {side_m}",
        "de": "Beug dein {side_n} Knie",
        "es": "Dobla tu rodilla {side_f}",
    },
    "straighten_leg": {
        "fr": "Tends ta jambe {side_f}",
        "de": "Streck dein {side_n} Bein",
        "es": "Estira tu pierna {side_f}",
    },
    "raise_foot": {
        "fr": "Lève ton pied {side_m} plus haut",
        "de": "Heb deinen {side_m} Fuß höher",
        "es": "Sube más tu pie {side_m}",
    },
    "lower_foot": {
        "fr": "Baisse ton pied {side_m}",
        "de": "Senk deinen {side_m} Fuß",
        "es": "Baja tu pie {side_m}",
    },
    "lean_left": {
        "fr": "Penche-toi vers ta gauche",
        "de": "Lehn dich nach links",
        "es": "Inclínate hacia tu izquierda",
    },
    "lean_right": {
        "fr": "Penche-toi vers ta droite",
        "de": "Lehn dich nach rechts",
        "es": "Inclínate hacia tu derecha",
    },
    "stand_straight": {
        "fr": "Redresse-toi",
        "de": "Steh gerade",
        "es": "Endereza la espalda",
    },
    "show_limb.arm": {
        "fr": "Montre-nous ton bras {side_m}",
        "de": "Zeig uns deinen {side_m} Arm",
        "es": "Muéstranos tu brazo {side_m}",
    },
    "show_limb.leg": {
        "fr": "Montre-nous ta jambe {side_f}",
        "de": "Zeig uns dein {side_n} Bein",
        "es": "Muéstranos tu pierna {side_f}",
    },
    # Framing reasons (strike_a_pose.reasons codes).
    "no_person": {
        "fr": "Entre dans l'image",
        "de": "Komm ins Bild",
        "es": "Entra en la imagen",
    },
    "show_shoulders": {
        "fr": "Mets-toi face à la caméra pour qu'on voie tes épaules",
        "de": "Schau zur Kamera, damit wir deine Schultern sehen",
        "es": "Mira a la cámara para que veamos tus hombros",
    },
    "show_arms": {
        "fr": "Garde tes deux bras dans l'image",
        "de": "Lass beide Arme im Bild",
        "es": "Mantén los dos brazos en la imagen",
    },
    "show_hips": {
        "fr": "Recule : on ne voit pas tes hanches",
        "de": "Geh einen Schritt zurück: Wir sehen deine Hüften nicht",
        "es": "Da un paso atrás: no vemos tus caderas",
    },
    "show_legs": {
        "fr": "Recule : on ne voit pas tes jambes",
        "de": "Geh einen Schritt zurück: Wir sehen deine Beine nicht",
        "es": "Da un paso atrás: no vemos tus piernas",
    },
    "too_little_visible": {
        "fr": "Recule pour qu'on te voie mieux",
        "de": "Geh zurück, damit wir mehr von dir sehen",
        "es": "Aléjate un poco para que te veamos mejor",
    },
}

# The page's fixed texts: data-i18n key -> language -> text (English is in
# index.html).  Keys ending in ".label" go to the aria-label attribute
# (data-i18n-label), the others to the element's text.
# "\u203a" is the right-pointing angle quote of the Skip button.
PAGE_TEXTS: dict[str, dict[str, str]] = {
    "loading.python": {
        "fr": "Moteur du jeu (Python + numpy)",
        "de": "Spiel-Engine (Python + numpy)",
        "es": "Motor del juego (Python + numpy)",
    },
    "loading.model": {
        "fr": "Détecteur de pose",
        "de": "Posen-Erkennung",
        "es": "Detector de poses",
    },
    "loading.levels": {"fr": "Œuvres", "de": "Kunstwerke", "es": "Obras"},
    "privacy": {
        "fr": "L'image de la caméra reste sur cet appareil. Rien n'est envoyé ni enregistré.",
        "de": "Das Kamerabild bleibt auf diesem Gerät. Nichts wird gesendet oder gespeichert.",
        "es": "La imagen de la cámara se queda en este dispositivo. No se envía ni se guarda nada.",
    },
    "start.button": {"fr": "Jouer", "de": "Start", "es": "Jugar"},
    "offline.saving": {
        "fr": "Enregistrement du jeu pour jouer hors ligne…",
        "de": "Das Spiel wird für offline gespeichert…",
        "es": "Guardando el juego para jugar sin conexión…",
    },
    "offline.ready": {
        "fr": "Prêt hors ligne",
        "de": "Offline bereit",
        "es": "Listo sin conexión",
    },
    "offline.outdated": {
        "fr": "La copie hors ligne n'est pas à jour",
        "de": "Die Offline-Kopie ist veraltet",
        "es": "La copia sin conexión no está al día",
    },
    "offline.failed": {
        "fr": "Le jeu n'a pas pu être enregistré pour jouer hors ligne",
        "de": "Das Spiel konnte nicht für offline gespeichert werden",
        "es": "No se pudo guardar el juego para jugar sin conexión",
    },
    "start.curators": {
        "fr": "Conservateurs : créer un pack de niveaux",
        "de": "Für Kuratoren: ein Level-Paket erstellen",
        "es": "Conservadores: crear un paquete de niveles",
    },
    "play.skip": {"fr": "Passer \u203a", "de": "Weiter \u203a", "es": "Saltar \u203a"},
    "play.cleared": {"fr": "Super !", "de": "Super!", "es": "¡Genial!"},
    "results.again": {"fr": "Rejouer", "de": "Nochmal spielen", "es": "Jugar otra vez"},
    "error.retry": {"fr": "Réessayer", "de": "Nochmal versuchen", "es": "Reintentar"},
    "error.camera-denied.title": {
        "fr": "Il nous faut la caméra",
        "de": "Wir brauchen die Kamera",
        "es": "Necesitamos la cámara",
    },
    "error.camera-denied.text": {
        "fr": "La caméra est bloquée. Autorise la caméra pour cette page dans les réglages du "
        "navigateur (l'icône de caméra près de l'adresse), puis réessaie.",
        "de": "Die Kamera ist blockiert. Erlaube die Kamera für diese Seite in den "
        "Browser-Einstellungen (das Kamera-Symbol neben der Adresse) und versuch es dann "
        "noch einmal.",
        "es": "La cámara está bloqueada. Permite la cámara para esta página en los ajustes del "
        "navegador (el icono de la cámara junto a la dirección) y vuelve a intentarlo.",
    },
    "error.no-camera.title": {
        "fr": "Aucune caméra trouvée",
        "de": "Keine Kamera gefunden",
        "es": "No hay cámara",
    },
    "error.no-camera.text": {
        "fr": "Cet appareil n'a pas de caméra utilisable. Branches-en une ou utilise un "
        "téléphone ou une tablette, puis réessaie.",
        "de": "Dieses Gerät hat keine Kamera, die wir nutzen können. Schließ eine an oder nimm "
        "ein Handy oder Tablet und versuch es dann noch einmal.",
        "es": "Este dispositivo no tiene una cámara que podamos usar. Conecta una o usa un "
        "móvil o una tableta y vuelve a intentarlo.",
    },
    "error.camera-busy.title": {
        "fr": "La caméra est occupée",
        "de": "Die Kamera ist belegt",
        "es": "La cámara está ocupada",
    },
    "error.camera-busy.text": {
        "fr": "Une autre application utilise la caméra. Ferme-la, puis réessaie.",
        "de": "Eine andere App benutzt die Kamera. Schließ sie und versuch es dann noch einmal.",
        "es": "Otra aplicación está usando la cámara. Ciérrala y vuelve a intentarlo.",
    },
    "error.camera-lost.title": {
        "fr": "La caméra s'est arrêtée",
        "de": "Die Kamera ist ausgefallen",
        "es": "La cámara se detuvo",
    },
    "error.camera-lost.text": {
        "fr": "Nous avons perdu l'image de la caméra. Vérifie qu'elle est bien branchée, "
        "puis réessaie.",
        "de": "Das Kamerabild ist weg. Prüf, ob die Kamera angeschlossen ist, und versuch es "
        "dann noch einmal.",
        "es": "Perdimos la imagen de la cámara. Comprueba que está conectada y vuelve a "
        "intentarlo.",
    },
    "error.camera-failed.title": {
        "fr": "La caméra n'a pas démarré",
        "de": "Die Kamera ist nicht gestartet",
        "es": "La cámara no arrancó",
    },
    "error.camera-failed.text": {
        "fr": "Un problème est survenu avec la caméra. Réessaie.",
        "de": "Mit der Kamera ist etwas schiefgegangen. Versuch es noch einmal.",
        "es": "Algo falló con la cámara. Vuelve a intentarlo.",
    },
    "error.insecure-context.title": {
        "fr": "Ouvre la page sécurisée",
        "de": "Öffne die sichere Seite",
        "es": "Abre la página segura",
    },
    "error.insecure-context.text": {
        "fr": "Les navigateurs n'autorisent la caméra que sur les pages sécurisées (https) ou "
        "sur cet ordinateur. Demande la bonne adresse au personnel.",
        "de": "Browser erlauben die Kamera nur auf sicheren Seiten (https) oder auf diesem "
        "Computer selbst. Frag das Personal nach der richtigen Adresse.",
        "es": "Los navegadores solo permiten la cámara en páginas seguras (https) o en este "
        "mismo ordenador. Pide la dirección correcta al personal.",
    },
    "error.browser-unsupported.title": {
        "fr": "Ce navigateur est trop ancien",
        "de": "Dieser Browser ist zu alt",
        "es": "Este navegador es demasiado antiguo",
    },
    "error.browser-unsupported.text": {
        "fr": "Utilise une version récente de Chrome, Edge, Firefox ou Safari.",
        "de": "Bitte nimm einen aktuellen Chrome, Edge, Firefox oder Safari.",
        "es": "Usa una versión reciente de Chrome, Edge, Firefox o Safari.",
    },
    "error.model-missing.title": {
        "fr": "Le détecteur de pose manque",
        "de": "Die Posen-Erkennung fehlt",
        "es": "Falta el detector de poses",
    },
    "error.model-missing.text": {
        "fr": "Un fichier nécessaire au jeu n'est pas sur le serveur. Personnel : relancez "
        "l'étape de récupération des fichiers (voir README).",
        "de": "Eine Datei, die das Spiel braucht, fehlt auf dem Server. Personal: bitte den "
        "Schritt zum Holen der Dateien erneut ausführen (siehe README).",
        "es": "Falta en el servidor un archivo que el juego necesita. Personal: hay que volver "
        "a ejecutar el paso de descarga de archivos (ver README).",
    },
    "error.model-failed.title": {
        "fr": "Le détecteur de pose n'a pas démarré",
        "de": "Die Posen-Erkennung ist nicht gestartet",
        "es": "El detector de poses no arrancó",
    },
    "error.model-failed.text": {
        "fr": "Réessaie. Si cela se reproduit, essaie un autre navigateur.",
        "de": "Versuch es noch einmal. Wenn es wieder passiert, nimm einen anderen Browser.",
        "es": "Vuelve a intentarlo. Si sigue pasando, prueba otro navegador.",
    },
    "error.levels-invalid.title": {
        "fr": "Les œuvres n'ont pas pu être chargées",
        "de": "Die Kunstwerke konnten nicht geladen werden",
        "es": "No se pudieron cargar las obras",
    },
    "error.levels-invalid.text": {
        "fr": "Le pack de niveaux a des problèmes. Personnel : voir les détails ci-dessous.",
        "de": "Das Level-Paket hat Fehler. Personal: Details siehe unten.",
        "es": "El paquete de niveles tiene problemas. Personal: ver los detalles abajo.",
    },
    "error.load-failed.title": {
        "fr": "Le jeu ne s'est pas chargé",
        "de": "Das Spiel wurde nicht geladen",
        "es": "El juego no se cargó",
    },
    "error.load-failed.text": {
        "fr": "Une partie du jeu n'a pas pu être chargée. Vérifie la connexion et réessaie.",
        "de": "Ein Teil des Spiels konnte nicht geladen werden. Prüf die Verbindung und "
        "versuch es noch einmal.",
        "es": "No se pudo cargar una parte del juego. Comprueba la conexión y vuelve a intentarlo.",
    },
    "error.unknown.title": {
        "fr": "Un problème est survenu",
        "de": "Etwas ist schiefgegangen",
        "es": "Algo salió mal",
    },
    "error.unknown.text": {
        "fr": "Réessaie.",
        "de": "Versuch es noch einmal.",
        "es": "Vuelve a intentarlo.",
    },
    "start.presence.label": {
        "fr": "reste immobile pour commencer",
        "de": "still stehen zum Starten",
        "es": "quédate quieto para empezar",
    },
    "play.timer.label": {"fr": "temps restant", "de": "verbleibende Zeit", "es": "tiempo restante"},
    "play.levels.label": {"fr": "niveaux", "de": "Level", "es": "niveles"},
    "play.fit.label": {
        "fr": "ta ressemblance avec la pose",
        "de": "wie gut du passt",
        "es": "cuánto te pareces a la pose",
    },
    "play.hold.label": {"fr": "tiens la pose", "de": "halte die Pose", "es": "mantén la pose"},
    # The story after a match.
    "story.next": {"fr": "Suivant \u203a", "de": "Weiter \u203a", "es": "Siguiente \u203a"},
    "story.reading.label": {
        "fr": "temps de lecture",
        "de": "Lesezeit",
        "es": "tiempo de lectura",
    },
    # The results gallery and the souvenir.
    "results.gallery.label": {
        "fr": "les œuvres de ta partie",
        "de": "die Kunstwerke deines Spiels",
        "es": "las obras de tu partida",
    },
    "start.photos": {
        "fr": "Garder des photos de moi en souvenir",
        "de": "Fotos von mir als Andenken behalten",
        "es": "Guardar fotos mías de recuerdo",
    },
    "start.photos.note": {
        "fr": "Les photos restent sur cet appareil, sauf si tu les partages.",
        "de": "Die Fotos bleiben auf diesem Gerät, außer du teilst sie.",
        "es": "Las fotos se quedan en este dispositivo, salvo que tú las compartas.",
    },
    "souvenir.title": {"fr": "Ton souvenir", "de": "Dein Andenken", "es": "Tu recuerdo"},
    "souvenir.save": {"fr": "Enregistrer", "de": "Speichern", "es": "Guardar"},
    "souvenir.share": {"fr": "Partager", "de": "Teilen", "es": "Compartir"},
    "souvenir.delete": {"fr": "Supprimer", "de": "Löschen", "es": "Borrar"},
    "souvenir.making": {
        "fr": "Ton souvenir se prépare…",
        "de": "Dein Andenken wird gemacht…",
        "es": "Preparando tu recuerdo…",
    },
    "souvenir.clip-making": {
        "fr": "Ta vidéo se prépare…",
        "de": "Dein Video wird gemacht…",
        "es": "Preparando tu vídeo…",
    },
    "souvenir.ready": {
        "fr": "Fait sur cet appareil. Rien n'a été envoyé.",
        "de": "Auf diesem Gerät gemacht. Nichts wurde gesendet.",
        "es": "Hecho en este dispositivo. No se ha enviado nada.",
    },
    "souvenir.kiosk": {
        "fr": "Affiché sur cet écran seulement. Il est effacé quand tu pars.",
        "de": "Nur auf diesem Bildschirm zu sehen. Es wird gelöscht, wenn du gehst.",
        "es": "Solo se muestra en esta pantalla. Se borra cuando te vas.",
    },
    "souvenir.deleted": {
        "fr": "Supprimé. Rien de ta partie n'est gardé.",
        "de": "Gelöscht. Von deinem Spiel wird nichts aufbewahrt.",
        "es": "Borrado. No se guarda nada de tu partida.",
    },
    "souvenir.none": {
        "fr": "Imite une œuvre pour repartir avec un souvenir.",
        "de": "Mach ein Kunstwerk nach, dann bekommst du ein Andenken.",
        "es": "Imita una obra para llevarte un recuerdo.",
    },
    "souvenir.failed": {
        "fr": "Le souvenir n'a pas pu être fait sur cet appareil.",
        "de": "Das Andenken konnte auf diesem Gerät nicht gemacht werden.",
        "es": "No se pudo hacer el recuerdo en este dispositivo.",
    },
    "souvenir.alt": {
        "fr": "Ton souvenir : toi et les œuvres que tu as imitées",
        "de": "Dein Andenken: du und die Kunstwerke, die du nachgemacht hast",
        "es": "Tu recuerdo: tú y las obras que has imitado",
    },
    "souvenir.clip.label": {
        "fr": "ta vidéo souvenir",
        "de": "dein Andenken-Video",
        "es": "tu vídeo de recuerdo",
    },
    "souvenir.share-text": {
        "fr": "Mes poses à Strike a Pose",
        "de": "Meine Posen bei Strike a Pose",
        "es": "Mis poses en Strike a Pose",
    },
}


def ui_language(lang: str) -> str:
    """The UI language for a language tag: its primary subtag when we have
    it ("fr-CA" -> "fr"), else English."""
    primary = lang.split("-")[0].lower()
    return primary if primary in UI_LANGUAGES else DEFAULT_LANGUAGE


def choose_language(preferred: Iterable[str]) -> str | None:
    """The first of the browser's preferred tags (navigator.languages) that
    we speak, as given (level texts may match the full tag), else None."""
    for tag in preferred:
        if tag.split("-")[0].lower() in UI_LANGUAGES:
            return tag
    return None


def message(lang: str, key: str, **params: object) -> str:
    """A presenter message in ``lang`` (English when missing)."""
    texts = MESSAGES[key]
    template = texts.get(ui_language(lang)) or texts[DEFAULT_LANGUAGE]
    return template.format(**params)


def _side_forms(lang: str, params: Mapping[str, Any]) -> dict[str, str]:
    side = str(params.get("side", ""))
    forms = {name: str(value) for name, value in params.items()}
    for form, words in SIDE_WORDS.get(lang, {}).items():
        forms[f"side_{form}" if form else "side"] = words.get(side, side)
    return forms


def hint_text(hint: Mapping[str, Any], lang: str) -> str:
    """A core hint or framing reason (``{"key"|"code", "params", "text"}``)
    in ``lang``; the core's English text when we have no translation."""
    key = str(hint.get("key") or hint.get("code") or "")
    params: Mapping[str, Any] = hint.get("params") or {}
    if key == "show_limb":
        key = f"show_limb.{params.get('part', '')}"
    language = ui_language(lang)
    template = HINTS.get(key, {}).get(language)
    if template is None:
        return str(hint.get("text", ""))
    try:
        return template.format(**_side_forms(language, params))
    except (KeyError, IndexError):  # a parameter we do not know: say it in English
        return str(hint.get("text", ""))


def page_texts(lang: str) -> dict[str, str]:
    """The page's fixed texts in ``lang`` by data-i18n key; empty for English,
    which index.html already shows."""
    language = ui_language(lang)
    return {key: texts[language] for key, texts in PAGE_TEXTS.items() if language in texts}
