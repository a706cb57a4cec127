"""Hypothesis strategies: text shaped like scraped Chinese news, noise included."""

from __future__ import annotations

from hypothesis import strategies as st

# Simplified characters, traditional ones whose conversion is the same alone as in
# context, and ones that convert differently by context (著, 乾, 後), so offsets
# are exercised on every path through OpenCC.
HAN = "四个意识两维护全域国文明城市人民建为一盘棋子会议争创習近平時代會議國爭創為這個區著乾後"
NOISE = [" ", "\n", "\r\n", "\u3000", "\xa0", "“", "”", "「", "」", "'", '"', "、", "，", ",", "；", "·", "\u200b"]
GLOSSES = ["(huì)", "(zhēng)", "（chuàng）", "(guó)"]
OTHER = ["(扩大)", "(", ")", "a", "Ａ", "１", "1+5", "。", "：", "\ufffd", "𠀀"]

pieces = st.one_of(st.sampled_from(list(HAN)), st.sampled_from(NOISE), st.sampled_from(GLOSSES), st.sampled_from(OTHER))
texts = st.lists(pieces, max_size=40).map("".join)


@st.composite
def noisy(draw: st.DrawFn, phrase: str) -> str:
    """``phrase`` as a scraper might mangle it: noise and glosses between its characters."""
    out = []
    for char in phrase:
        out.append(char)
        glosses = ["(huì)"] if "\u4e00" <= char <= "\u9fff" else []  # glosses follow Han characters only
        out.append(draw(st.sampled_from(["", "", " ", "\n", "“", "”", "\u3000", *glosses])))
    return "".join(out)
