//! Compile-time and behavioural guarantees of the public API.

use zhclean::decode::{DecodeConfig, Decoder};
use zhclean::normalize::Normalizer;
use zhclean::{Cleaner, Error, Report};

fn assert_send_sync_unwind<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}

#[test]
fn public_types_are_send_sync_unwind_safe() {
    assert_send_sync_unwind::<Cleaner>();
    assert_send_sync_unwind::<Decoder>();
    assert_send_sync_unwind::<Normalizer>();
    assert_send_sync_unwind::<Report>();
    assert_send_sync_unwind::<Error>();
}

#[test]
fn one_cleaner_serves_many_threads() {
    let cleaner = Cleaner::new();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let c = cleaner.clone();
            std::thread::spawn(move || c.clean(&format!("第{i}行,内容")).into_owned())
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        assert_eq!(h.join().unwrap(), format!("第{i}行，内容"));
    }
}

#[test]
fn errors_are_typed_and_std() {
    let e: Box<dyn std::error::Error> =
        Box::new(Decoder::new(DecodeConfig::default().with_encoding("x-nope")).unwrap_err());
    assert!(e.to_string().contains("x-nope"));
}

#[test]
fn clean_into_reuses_the_buffer() {
    let cleaner = Cleaner::new();
    let mut buf = String::with_capacity(64);
    cleaner.clean_into("ＡＢ", &mut buf);
    cleaner.clean_into("中,文", &mut buf);
    assert_eq!(buf, "AB中，文");
}

#[cfg(feature = "serde")]
#[test]
fn config_and_report_round_trip_through_serde() {
    let config = zhclean::CleanerConfig::default();
    let json = serde_json::to_string(&config).unwrap();
    assert!(json.contains("\"format_version\":1"));
    let back: zhclean::CleanerConfig = serde_json::from_str(&json).unwrap();
    assert_eq!(back, config);
    let (_, report) = Cleaner::new().clean_with_report("Ａ&amp;");
    let json = serde_json::to_string(&report).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}
