"""The Textual app: screens, widgets, modals and app.tcss.

Textual draws at most `TEXTUAL_FPS` frames a second (60 unless set), and a change
made within one frame's period of the last frame waits for the next: up to 17 ms.
The screen draws once a second for its clocks (and its probes' samples), so a key
pressed just after that frame waited for the next one; traced under 200 probes,
those were the slowest step checks of a run. The screen changes only on keys,
ticks and samples, so a higher cap costs frames only while something moves (a
scroll). Set here, before any module of the app imports Textual, which reads it
once; a `TEXTUAL_FPS` of the user's own stands.
"""

import os

FRAMES_PER_SECOND_CAP = 240
"""At most 4 ms between a change and the frame that draws it."""

os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND_CAP))
