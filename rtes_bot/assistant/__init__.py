"""Understanding a question to the assistant: pure, no I/O, no Discord.

- :mod:`.words` — folding, SMS spellings, contractions, typos, lemmas (``simplemma``);
- :mod:`.language` — French or English;
- :mod:`.knowledge` — what is known, as plain values, and passages ranked with ``bm25s``;
- :mod:`.tasks` — the tasks it explains and who may do them;
- :mod:`.intents` — what a question may be about (light: the service names them at start);
- :mod:`.understanding` — every reading of a question, scored, best first.

The service :mod:`rtes_bot.services.assistant` loads the knowledge and words the answers; it
imports :mod:`.understanding` and :mod:`.knowledge` (``simplemma``, ``bm25s``, numpy, scipy) on the
first question, so that a bot nobody has asked anything yet does not hold them in memory.
"""
