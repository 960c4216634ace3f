import multiprocessing
import os
import pickle
import threading

import pytest

import zhclean

MOJIBAKE_SOURCE = "当前位置的新闻稿，支持企业发展人工智能产业。"


def latin1_mojibake(text: str) -> str:
    """UTF-8 bytes read as latin-1 (lossless): the classic wrong decode."""
    return text.encode("utf-8").decode("latin-1")


def gbk_mojibake(text: str) -> str:
    """UTF-8 bytes read as GBK: lossy, each lost character becomes U+FFFD."""
    return text.encode("utf-8").decode("gbk", errors="replace")


def test_default_cleaner_normalizes():
    c = zhclean.Cleaner()
    assert c.clean("广东,支持企业&nbsp;发展\r\n") == "广东，支持企业 发展\n"
    assert c.stages == ["decode", "repair", "normalize", "boilerplate"]


def test_convert_stage_and_functions():
    c = zhclean.Cleaner(convert="s2t")
    assert c.clean("广东,支持企业&nbsp;ＡＩ产业") == "廣東，支持企業 AI產業"
    assert "convert" in c.stages
    assert zhclean.convert("鼠标和软件", "s2twp") == "滑鼠和軟體"
    assert zhclean.convert("漢字", "t2s") == "汉字"
    assert zhclean.detect_script("漢字簡化") == "traditional"
    assert zhclean.detect_script("汉字简化") == "simplified"
    assert zhclean.detect_script("hello") == "neither"
    counts = zhclean.detect_script("汉字简化", counts=True)
    assert counts["script"] == "simplified" and counts["han"] == 4
    assert set(zhclean.CONVERT_CONFIGS) >= {"s2t", "t2s", "s2twp", "hk2sp"}


def test_repair():
    damaged = latin1_mojibake(MOJIBAKE_SOURCE)
    assert zhclean.repair(damaged) == MOJIBAKE_SOURCE
    lossy = zhclean.repair(gbk_mojibake(MOJIBAKE_SOURCE))
    assert lossy.startswith("当前位置的新闻") and "人工智能产业" in lossy
    # Clean text comes back as the same object.
    assert zhclean.repair(MOJIBAKE_SOURCE) is MOJIBAKE_SOURCE


def test_stage_selection_and_options():
    only_normalize = zhclean.Cleaner(stages=["normalize"])
    assert only_normalize.clean(latin1_mojibake(MOJIBAKE_SOURCE)) != MOJIBAKE_SOURCE
    no_width = zhclean.Cleaner(normalize={"fullwidth_alnum": False})
    assert no_width.clean("ＡＩ") == "ＡＩ"
    assert zhclean.Cleaner().clean("ＡＩ") == "AI"
    strict = zhclean.Cleaner(boilerplate="strict")
    assert strict.config["boilerplate"]["strict"] is True
    assert zhclean.Cleaner(repair={"codecs": ["gbk"], "max_rounds": 1}).config["repair"]["codecs"] == ["gbk"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(stages=["decode", "bogus"]), "unknown stage \"bogus\""),
        (dict(convert="s2x"), "unknown conversion config \"s2x\""),
        (dict(normalize={"nfcc": True}), "unknown normalize option \"nfcc\""),
        (dict(normalize={"nfc": "yes"}), "normalize option \"nfc\": invalid type"),
        (dict(repair={"max_rounds": 9}), "max_rounds"),
        (dict(repair={"codecs": ["klingon"]}), "repair option \"codecs\""),
        (dict(decode={"encoding": "nope"}), "unknown encoding label"),
        (dict(boilerplate="lenient"), "unknown boilerplate preset"),
        (dict(boilerplate={"menu_run": -1}), "boilerplate option \"menu_run\""),
        (dict(stages=["convert"]), "needs a conversion config"),
    ],
)
def test_bad_options_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        zhclean.Cleaner(**kwargs)


def test_wrong_argument_types():
    with pytest.raises(TypeError):
        zhclean.Cleaner(stages="normalize")
    with pytest.raises(TypeError):
        zhclean.Cleaner(normalize=["nfc"])


def test_clean_with_report():
    text, report = zhclean.Cleaner(convert="s2t").clean_with_report("ＡＢ测,试")
    assert text == "AB測，試"
    rules = [(r["type"], r["stage"], r["rule"]) for r in report]
    assert ("change", "normalize", "fullwidth-alnum") in rules
    assert ("change", "convert", "s2t") in rules
    first = report[0]
    assert first["before"] == "Ａ" and first["after"] == "A"
    assert (first["start"], first["end"]) == (0, 3)  # UTF-8 byte span
    _, flags = zhclean.Cleaner().clean_with_report("锟斤拷锟斤拷锟斤拷的文本")
    assert any(r["type"] == "flag" and r["stage"] == "repair" for r in flags)


def test_bytes_go_through_decode():
    c = zhclean.Cleaner()
    assert c.clean("中文,测试\r\n".encode("gbk")) == "中文，测试\n"
    assert c.clean(bytearray("中文".encode("utf-8"))) == "中文"
    big5 = (
        "中華民國憲法第一條：中華民國基於三民主義，為民有民治民享之民主共和國。\n"
        "第二條：中華民國之主權屬於國民全體。\n"
    )
    text, report = c.clean_with_report(big5.encode("big5"))
    assert text == big5
    assert any(r["rule"] == "legacy-encoding" for r in report)


def test_none_and_other_types():
    c = zhclean.Cleaner()
    with pytest.raises(TypeError, match="NoneType"):
        c.clean(None)
    with pytest.raises(TypeError, match="record 2: expected str, bytes or None, got int"):
        c.clean_batch(["a", "b", 3])
    with pytest.raises(TypeError):
        zhclean.convert(b"bytes", "s2t")


def test_lone_surrogates_do_not_fail():
    c = zhclean.Cleaner(stages=["normalize"])
    out = c.clean("a\ud800b")
    assert out.startswith("a") and out.endswith("b") and "\ud800" not in out
    assert "\ufffd" in out
    out.encode("utf-8")  # a valid str
    assert "\ud800" not in c.clean_batch(["x\udfffy"])[0]


def test_clean_batch_order_none_bytes_and_identity():
    c = zhclean.Cleaner(convert="s2t")
    clean_text = "沒有要改的字"
    records = ["ＡＩ", None, "广东".encode("gbk"), clean_text, latin1_mojibake(MOJIBAKE_SOURCE)]
    out = c.clean_batch(records)
    assert out[:3] == ["AI", None, "廣東"]
    assert out[3] is clean_text
    assert out[4] == zhclean.convert(MOJIBAKE_SOURCE, "s2t")
    assert c.clean_batch([]) == []
    assert c.clean_batch(iter(["ＡＩ"])) == ["AI"]  # any iterable
    many = [f"第{i}条,ＡＩ" for i in range(5000)]
    assert c.clean_batch(many) == [c.clean(t) for t in many]


def test_clean_batch_releases_the_gil():
    c = zhclean.Cleaner()
    texts = ["广东,支持企业&nbsp;发展。" * 200] * 2000
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            done.wait(0.001)

    t = threading.Thread(target=tick)
    t.start()
    before = len(ticks)
    c.clean_batch(texts)
    during = len(ticks) - before
    done.set()
    t.join()
    # With the GIL held for the whole batch the other thread could not run.
    assert during > 0


def test_pickle_round_trip():
    c = zhclean.Cleaner(stages=["repair", "normalize"], convert="s2twp", normalize={"nfc": False})
    c2 = pickle.loads(pickle.dumps(c))
    assert c2 == c
    assert c2.config == c.config
    assert c2.clean("鼠标,ＡＩ") == c.clean("鼠标,ＡＩ")
    assert zhclean.Cleaner.from_config(c.config) == c
    assert zhclean.Cleaner() != c
    with pytest.raises(ValueError, match="unknown config key"):
        zhclean.Cleaner.from_config({"stagez": []})


def test_repr_and_version():
    assert repr(zhclean.Cleaner(convert="t2s")).endswith('convert="t2s")')
    assert zhclean.__version__
    assert zhclean.STAGES == ("decode", "repair", "normalize", "boilerplate", "convert")


def _clean_in_child(cleaner):
    return cleaner.clean_batch(["ＡＩ"] * 100)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_clean_batch_in_a_forked_child():
    c = zhclean.Cleaner()
    assert _clean_in_child(c) == ["AI"] * 100  # the parent's threads start
    with multiprocessing.get_context("fork").Pool(1) as p:
        # The child has none of the parent's threads: it must start its own
        # instead of waiting for them forever.
        assert p.apply_async(_clean_in_child, (c,)).get(timeout=60) == ["AI"] * 100
