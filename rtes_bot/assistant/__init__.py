"""Understanding a question to the assistant: pure, no I/O, no Discord.

- :mod:`.words` — folding, SMS spellings, contractions, typos, lemmas (``simplemma``);
- :mod:`.language` — French or English;
- :mod:`.knowledge` — what is known, as plain values, and passages ranked with ``bm25s``;
- :mod:`.tasks` — the tasks it explains and who may do them;
- :mod:`.understanding` — every reading of a question, scored, best first.

The service :mod:`rtes_bot.services.assistant` loads the knowledge and words the answers.
"""
