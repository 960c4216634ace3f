//! The `zhclean` program end to end (feature `cli`).
#![cfg(feature = "cli")]

use std::io::Write;
use std::process::{Command, Stdio};

fn zhclean(args: &[&str], stdin: &[u8]) -> (Vec<u8>, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhclean"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zhclean runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn encode(label: &str, text: &str) -> Vec<u8> {
    encoding_rs::Encoding::for_label(label.as_bytes())
        .unwrap()
        .encode(text)
        .0
        .into_owned()
}

#[test]
fn clean_turns_legacy_files_into_utf8() {
    // Article text of distinct sentences (the default pipeline also strips
    // boilerplate, and a page that repeats one line looks like a template).
    let hans = "第一条 为了规范口岸开放，提高口岸通关效率，保障口岸安全畅通，促进对外开放和经济社会发展，制定本条例。\n\
                第二条 本条例所称的口岸，是指供人员、货物、物品和交通工具直接出入国境的港口、机场、车站等。\n\
                第三条 本市口岸开放、通关服务优化、口岸环境保障等工作，适用本条例。\n"
        .to_string();
    let hant = "第一條 中華民國基於三民主義，為民有民治民享之民主共和國。\n\
                第二條 中華民國之主權屬於國民全體，人民之自由權利，非依法律不得限制之。\n\
                第三條 具有中華民國國籍者為中華民國國民，國民應依法律納稅及服兵役。\n"
        .to_string();
    let jp = "本日は晴天なり。東京都の天気予報によると、明日は雨が降るでしょう。\n\
              日本語の文章をシフトJISで符号化して、正しく復号できるか確かめます。\n\
              この試験では、改行と句読点もそのまま残ることを確認します。\n"
        .to_string();
    let dir = std::env::temp_dir().join(format!("zhclean-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in hant.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    for (name, bytes, expect) in [
        ("gbk.txt", encode("gbk", &hans), &hans),
        ("big5.txt", encode("big5", &hant), &hant),
        ("sjis.txt", encode("shift_jis", &jp), &jp),
        ("utf16.txt", utf16, &hant),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let (out, err, code) = zhclean(&["clean", path.to_str().unwrap()], b"");
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(String::from_utf8(out).unwrap(), *expect, "{name}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn stdin_to_stdout_with_explain() {
    let (out, err, code) = zhclean(&["normalize", "--explain"], "广东,支持\r\n".as_bytes());
    assert_eq!(code, 0);
    assert_eq!(out, "广东，支持\n".as_bytes());
    let lines: Vec<serde_json::Value> = err
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["rule"], "cjk-punctuation");
    assert_eq!(lines[0]["file"], "-");
}

#[test]
fn jsonl_keeps_every_line_in_order() {
    let mut input = String::new();
    for i in 0..5000 {
        match i % 7 {
            0 => input.push_str("not json\n"),
            1 => input.push_str("{\"id\": 1}\n"),
            2 => input.push('\n'),
            _ => input.push_str(&format!("{{\"id\":{i},\"text\":\"ＡＢ,中,文{i}\"}}\n")),
        }
    }
    input.push_str("{\"id\":\"last, no newline\",\"text\":\"中,文\"}");
    let (out, err, code) = zhclean(
        &["jsonl", "--field", "text", "-j", "2", "--window", "100"],
        input.as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    let out = String::from_utf8(out).unwrap();
    let (ins, outs): (Vec<&str>, Vec<&str>) =
        (input.split('\n').collect(), out.split('\n').collect());
    assert_eq!(ins.len(), outs.len());
    for (i, o) in ins.iter().zip(&outs) {
        if i.contains("\"text\"") {
            assert_eq!(*o, i.replace("ＡＢ", "AB").replace("中,文", "中，文"));
        } else {
            assert_eq!(i, o);
        }
    }
    assert!(err.contains("records"), "summary on stderr: {err}");
    assert!(err.contains("not JSON"));
}

#[test]
fn usage_errors_exit_2() {
    let (_, err, code) = zhclean(&["clean", "--stages", "bogus"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("bogus"));
    let (_, err, code) = zhclean(&["clean", "--encoding", "klingon"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("klingon"));
    let (_, _, code) = zhclean(&["clean", "/no/such/file"], b"");
    assert_eq!(code, 1);
}
