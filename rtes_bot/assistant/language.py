"""The language a question is written in: French (the network's) or English. Pure."""

from __future__ import annotations

from collections.abc import Sequence

import simplemma

from rtes_bot.assistant.words import key, reaccented_lemma

ENGLISH = frozenset(
    """what who whom whose how does do did the is are was were there about say says said can could
    you your which where when why join open polls poll help works work any with for from of and
    hello hi hey thanks thank please my me i am tell show give find phone number email
    decided decision decisions proposal proposals status charter article network text version
    vote voted voting closing close latest last previous first current should would let lets
    whats hows need want register sign signed members member field fields board referent
    earlier older old new this that it its in at to be been have has lot good morning
    contact contacts votes details
    evening thanks cheers night afternoon""".split()
)
FRENCH = frozenset(
    """que qui quoi comment quel quelle quels quelles la le les des du sur est sont charte je tu
    vous dit dire peux pouvez il y a ou en cours adherer scrutins scrutin voter vote votes
    bonjour salut merci donner deposer proposition propositions decision decisions reseau elu
    elus elue telephone numero coordonnees referent referente article version texte mon ma mes
    son sa ses au aux avec pour par dans c est ce cette nous notre nos faire faut veux voudrais
    ai suis quand pourquoi combien parle disent concernant les une un pas ne plus derniere
    dernier precedente ancienne signer charte adhesion procuration annuaire domaines d l j qu email contact
    de
    contacts votes a bonne bon soiree journee nuit bonsoir coucou bisous comme moi toi""".split()
) | frozenset(
    # Creole words of the overseas territories' élus (« kosa i reste pou moin ? »): a creole
    # question is answered in French, not in English for its « i ».
    "kosa kisa mwen moin pou nou zot ka".split()
)


#: « please » and « s'il vous plaît » as typed: the spelling expansion drops them.
POLITE = {"pls": "en", "plz": "en", "thx": "en", "stp": "fr", "svp": "fr"}


def detect(
    tokens: Sequence[str],
    *,
    possessive: bool = False,
    french_words: frozenset[str] = frozenset(),  # keys
    typed: Sequence[str] = (),
) -> str | None:
    """« fr » or « en » when the words tell, else None (the caller falls back). Marker words
    first; when they do not tell, words only one language's dictionary knows (« proxy »,
    « governance »). ``possessive``: the question has an English « 's »; ``typed``: its words
    as typed, before spellings were expanded (« contact pls », « le mail svp »)."""
    english = sum(1 for token in tokens if token in ENGLISH and token not in FRENCH)
    french = sum(1 for token in tokens if token in FRENCH and token not in ENGLISH)
    english += possessive
    english += sum(1 for word in typed if POLITE.get(word) == "en")
    french += sum(1 for word in typed if POLITE.get(word) == "fr")
    if english == french:
        for token in tokens:
            if len(token) < 4 or token.isdigit():
                continue
            # Folded French words are often unknown to the (accented) French dictionary: the
            # network's own texts and names say they are French.
            # A French word written without its accents (« alinea ») is French, though the
            # English dictionary knows the spelling.
            in_fr = (
                key(token) in french_words
                or simplemma.is_known(token, lang="fr")
                or reaccented_lemma(token) is not None
            )
            in_en = simplemma.is_known(token, lang="en")
            english += in_en and not in_fr
            french += in_fr and not in_en
    both = sum(1 for token in tokens if token in FRENCH and token in ENGLISH)
    if english > french:
        return "en"
    if french > english:
        return "fr"
    if both and not english and not french:
        return None
    return None
