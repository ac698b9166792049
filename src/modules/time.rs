//! The `time` module: clocks, `sleep`, and calendar conversions (`gmtime`, `localtime`,
//! `mktime`, `strftime`, `asctime`, `ctime`) with `struct_time`.
//!
//! Calendar arithmetic is done here from the Unix time (no libc); local time is UTC.
//!
//! The clocks read the interpreter's clock (`vm/clock.rs`), which is virtual under
//! `--virtual-clock`; `process_time` stays the real CPU time.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::args::{self, Kw};
use crate::objects::class::tuple_field_property;
use crate::objects::function::NativeFn;
use crate::objects::types::{base_value, Instance, Payload};
use crate::objects::{types, Builtin, DictObj, Exc, ToyResult, TypeObj, Value};
use crate::vm::Vm;

pub fn init(_vm: &mut Vm, m: &Arc<DictObj>) {
    let functions: &[(&'static str, NativeFn)] = &[
        ("time", time),
        ("time_ns", time_ns),
        ("monotonic", monotonic),
        ("monotonic_ns", monotonic_ns),
        ("perf_counter", monotonic),
        ("perf_counter_ns", monotonic_ns),
        ("process_time", process_time),
        ("process_time_ns", process_time_ns),
        ("sleep", sleep),
        ("gmtime", gmtime),
        ("localtime", localtime),
        ("mktime", mktime),
        ("strftime", strftime),
        ("asctime", asctime),
        ("ctime", ctime),
    ];
    for (name, f) in functions {
        m.set_str(name, Value::Builtin(Arc::new(Builtin::function(name, *f))));
    }
    m.set_str("struct_time", Value::Type(struct_time_type().clone()));
    m.set_str("timezone", Value::Int(0));
    m.set_str("altzone", Value::Int(0));
    m.set_str("daylight", Value::Int(0));
    m.set_str(
        "tzname",
        Value::tuple(vec![Value::str("UTC"), Value::str("UTC")]),
    );
}

// ----- clocks -------------------------------------------------------------------------------

fn no_args(name: &str, args: &[Value], kw: Kw) -> ToyResult<()> {
    args::no_kwargs(name, kw)?;
    args::count(name, args, 0, 0)
}

fn time(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("time", args, kw)?;
    Ok(Value::Float(vm.interp.clock.wall_time().as_secs_f64()))
}

fn time_ns(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("time_ns", args, kw)?;
    Ok(Value::Int(nanos(vm.interp.clock.wall_time())))
}

/// `monotonic` and `perf_counter` (one clock, as on Linux).
fn monotonic(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("monotonic", args, kw)?;
    Ok(Value::Float(vm.interp.clock.monotonic().as_secs_f64()))
}

fn monotonic_ns(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("monotonic_ns", args, kw)?;
    Ok(Value::Int(nanos(vm.interp.clock.monotonic())))
}

/// The current time in whole seconds since the epoch, for the calendar functions.
fn now_secs(vm: &Vm) -> i64 {
    i64::try_from(vm.interp.clock.wall_time().as_secs()).unwrap_or(i64::MAX)
}

/// A duration in whole nanoseconds, as the `*_ns` functions return it (saturating: no clock
/// here runs for 292 years).
fn nanos(d: Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

/// CPU time of this process (user + system) from `/proc/self/stat`, in nanoseconds; the time
/// since the process started where that is unavailable.
fn cpu_time_ns() -> u128 {
    let from_proc = || -> Option<u128> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let after = &stat[stat.rfind(')')? + 1..];
        let fields: Vec<&str> = after.split_whitespace().collect();
        let utime: u128 = fields.get(11)?.parse().ok()?;
        let stime: u128 = fields.get(12)?.parse().ok()?;
        Some((utime + stime) * 10_000_000) // 100 clock ticks per second
    };
    from_proc().unwrap_or_else(|| {
        static START: OnceLock<std::time::Instant> = OnceLock::new();
        START
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_nanos()
    })
}

fn process_time(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("process_time", args, kw)?;
    Ok(Value::Float(cpu_time_ns() as f64 / 1e9))
}

fn process_time_ns(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    no_args("process_time_ns", args, kw)?;
    Ok(Value::Int(cpu_time_ns() as i64))
}

/// A number of seconds as a float (ints and floats; anything else is a TypeError).
fn seconds_arg(vm: &mut Vm, v: &Value) -> ToyResult<f64> {
    match v {
        Value::Float(_) | Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => {
            super::math::real(vm, v)
        }
        Value::Instance(_) if vm.lookup_special(v, "__float__").is_some() => {
            super::math::real(vm, v)
        }
        other => Err(Exc::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

/// The longest sleep, in seconds.
const SLEEP_MAX: f64 = 9_223_372_036.0;

/// `time.sleep(secs)`, through the blocking door: other threads run meanwhile. On the virtual
/// clock it takes no real time (see `Vm::sleep`).
pub fn sleep(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("sleep", kw)?;
    args::count("sleep", args, 1, 1)?;
    let secs = seconds_arg(vm, &args[0])?;
    if secs.is_nan() {
        return Err(Exc::value_error("Invalid value NaN (not a number)"));
    }
    if secs < 0.0 {
        return Err(Exc::value_error("sleep length must be non-negative"));
    }
    // CPython's limit: nanoseconds in a signed 64-bit integer.
    if secs > SLEEP_MAX {
        return Err(Exc::overflow("timestamp out of range for platform time_t"));
    }
    let d = Duration::from_secs_f64(secs);
    vm.sleep(d)?;
    Ok(Value::None)
}

// ----- calendar -----------------------------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The date of a day number (inverse of `days_from_civil`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The broken-down fields of a `struct_time`, in tuple order.
#[derive(Clone, Copy)]
struct Tm {
    year: i64,
    mon: i64,
    mday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    /// Monday is 0.
    wday: i64,
    /// 1-based.
    yday: i64,
    isdst: i64,
}

fn tm_from_secs(secs: i64) -> Tm {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let (year, mon, mday) = civil_from_days(days);
    Tm {
        year,
        mon,
        mday,
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
        wday: (days + 3).rem_euclid(7),
        yday: days - days_from_civil(year, 1, 1) + 1,
        isdst: 0,
    }
}

fn tm_to_secs(tm: &Tm) -> i64 {
    let (y, m) = (
        tm.year + (tm.mon - 1).div_euclid(12),
        (tm.mon - 1).rem_euclid(12) + 1,
    );
    let days = days_from_civil(y, m, 1) + tm.mday - 1;
    days * 86400 + tm.hour * 3600 + tm.min * 60 + tm.sec
}

fn struct_time_type() -> &'static Arc<TypeObj> {
    static TYPE: OnceLock<Arc<TypeObj>> = OnceLock::new();
    TYPE.get_or_init(|| {
        let t = types();
        let cls = Arc::new(TypeObj::new_user(
            "struct_time",
            vec![t.tuple.clone()],
            vec![t.tuple.clone(), t.object.clone()],
            Arc::new(DictObj::new()),
            None,
        ));
        cls.set_attr("__module__", Value::str("time"));
        cls.set_attr(
            "__new__",
            Value::Builtin(Arc::new(Builtin::function("__new__", struct_time_new))),
        );
        cls.add_method("__repr__", struct_time_repr);
        // `print()` would otherwise fall through to the tuple inside.
        cls.add_method("__str__", struct_time_repr);
        cls.set_attr("n_fields", Value::Int(11));
        cls.set_attr("n_sequence_fields", Value::Int(9));
        for (i, name) in FIELDS.iter().enumerate() {
            cls.set_attr(
                name,
                tuple_field_property(format!("struct_time.{name}"), i, Value::None),
            );
        }
        cls
    })
}

const FIELDS: [&str; 9] = [
    "tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst",
];

fn make_struct_time(items: Vec<Value>, zone: &str) -> Value {
    let inst = Instance::new(struct_time_type(), Payload::Base(Value::tuple(items)));
    inst.set_attr_str("tm_zone", Value::str(zone));
    inst.set_attr_str("tm_gmtoff", Value::Int(0));
    Value::instance(inst)
}

fn tm_value(tm: &Tm, zone: &str) -> Value {
    let f = [
        tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, tm.wday, tm.yday, tm.isdst,
    ];
    make_struct_time(f.iter().map(|&x| Value::Int(x)).collect(), zone)
}

fn struct_time_new(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    args::count("struct_time", &args[1..], 1, 2)?;
    let items = vm.collect(&args[1])?;
    if items.len() < 9 || items.len() > 11 {
        let msg = if items.len() < 9 {
            format!(
                "time.struct_time() takes an at least 9-sequence ({}-sequence given)",
                items.len()
            )
        } else {
            format!(
                "time.struct_time() takes an at most 11-sequence ({}-sequence given)",
                items.len()
            )
        };
        return Err(Exc::type_error(msg));
    }
    let zone = match items.get(9) {
        Some(Value::Str(s)) => s.as_str().to_string(),
        _ => String::new(),
    };
    let v = make_struct_time(items[..9].to_vec(), &zone);
    if let (Value::Instance(i), None) = (&v, items.get(9)) {
        i.set_attr_str("tm_zone", Value::None);
        i.set_attr_str("tm_gmtoff", Value::None);
    }
    Ok(v)
}

fn tuple_items(v: &Value) -> Option<Vec<Value>> {
    match base_value(v).unwrap_or(v) {
        Value::Tuple(t) => Some(t.items().to_vec()),
        _ => None,
    }
}

fn struct_time_repr(vm: &mut Vm, args: &[Value], _kw: Kw) -> ToyResult<Value> {
    let items = tuple_items(&args[0]).unwrap_or_default();
    let mut parts = Vec::with_capacity(9);
    for (f, v) in FIELDS.iter().zip(&items) {
        parts.push(format!("{f}={}", vm.repr(v)?));
    }
    Ok(Value::string(format!(
        "time.struct_time({})",
        parts.join(", ")
    )))
}

/// The optional seconds argument of `gmtime`/`localtime`/`ctime`, floored to an int.
fn secs_arg(vm: &mut Vm, name: &str, args: &[Value], kw: Kw) -> ToyResult<i64> {
    args::no_kwargs(name, kw)?;
    args::count(name, args, 0, 1)?;
    match args.first() {
        None | Some(Value::None) => Ok(now_secs(vm)),
        Some(v) if v.is_int_like() => crate::objects::int::to_i64(v)
            .filter(|n| n.abs() < 67_767_976_233_316_800)
            .ok_or_else(|| Exc::overflow("timestamp out of range for platform time_t")),
        Some(v) => {
            let f = seconds_arg(vm, v)?;
            if f.is_nan() {
                return Err(Exc::value_error("Invalid value NaN (not a number)"));
            }
            if !f.is_finite() || f.abs() >= 6.7e16 {
                return Err(Exc::overflow("timestamp out of range for platform time_t"));
            }
            Ok(f.floor() as i64)
        }
    }
}

fn gmtime(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let secs = secs_arg(vm, "gmtime", args, kw)?;
    Ok(tm_value(&tm_from_secs(secs), "UTC"))
}

fn localtime(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let secs = secs_arg(vm, "localtime", args, kw)?;
    Ok(tm_value(&tm_from_secs(secs), "UTC"))
}

/// A `struct_time` or 9-tuple argument.
fn tm_arg(func: &str, v: &Value) -> ToyResult<Tm> {
    let Some(items) = tuple_items(v) else {
        return Err(Exc::type_error("Tuple or struct_time argument required"));
    };
    if items.len() != 9 {
        return Err(Exc::type_error(format!(
            "{func}(): illegal time tuple argument"
        )));
    }
    let mut f = [0i64; 9];
    for (slot, item) in f.iter_mut().zip(&items) {
        *slot = crate::objects::int::index_of(item)?;
    }
    Ok(Tm {
        year: f[0],
        mon: f[1],
        mday: f[2],
        hour: f[3],
        min: f[4],
        sec: f[5],
        wday: f[6],
        yday: f[7],
        isdst: f[8],
    })
}

/// CPython's `checktm`, after its fix-ups of zero fields.
fn check_tm(tm: &mut Tm) -> ToyResult<()> {
    if tm.mon == 0 {
        tm.mon = 1;
    }
    if tm.mday == 0 {
        tm.mday = 1;
    }
    if tm.yday == 0 {
        tm.yday = 1;
    }
    let checks = [
        (1..=12, tm.mon, "month out of range"),
        (1..=31, tm.mday, "day of month out of range"),
        (0..=23, tm.hour, "hour out of range"),
        (0..=59, tm.min, "minute out of range"),
        (0..=61, tm.sec, "seconds out of range"),
        (1..=366, tm.yday, "day of year out of range"),
    ];
    for (range, v, msg) in checks {
        if !range.contains(&v) {
            return Err(Exc::value_error(msg));
        }
    }
    if tm.wday < 0 {
        return Err(Exc::value_error("day of week out of range"));
    }
    tm.wday = tm.wday.rem_euclid(7);
    Ok(())
}

fn mktime(_vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("mktime", kw)?;
    args::count("mktime", args, 1, 1)?;
    let tm = tm_arg("mktime", &args[0])?;
    Ok(Value::Float(tm_to_secs(&tm) as f64))
}

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn day_name(tm: &Tm) -> &'static str {
    DAYS[tm.wday.rem_euclid(7) as usize]
}

fn month_name(tm: &Tm) -> &'static str {
    MONTHS[(tm.mon - 1).rem_euclid(12) as usize]
}

fn asctime_text(tm: &Tm) -> String {
    format!(
        "{} {}{:3} {:02}:{:02}:{:02} {}",
        &day_name(tm)[..3],
        &month_name(tm)[..3],
        tm.mday,
        tm.hour,
        tm.min,
        tm.sec,
        tm.year
    )
}

/// The ISO 8601 week-based year and week number.
fn iso_week(tm: &Tm) -> (i64, i64) {
    let yday0 = tm.yday - 1;
    let wday = tm.wday.rem_euclid(7); // Monday = 0
    let week = (yday0 - wday + 10) / 7;
    if week < 1 {
        let py = tm.year - 1;
        let pdays = if is_leap(py) { 366 } else { 365 };
        let prev = Tm {
            year: py,
            yday: tm.yday + pdays,
            ..*tm
        };
        return iso_week(&prev);
    }
    let days_in_year = if is_leap(tm.year) { 366 } else { 365 };
    if week == 53 && days_in_year - yday0 <= 3 - wday {
        return (tm.year + 1, 1);
    }
    (tm.year, week)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// `strftime` in the C locale.
fn format_tm(fmt: &str, tm: &Tm, zone: &str) -> String {
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(d) = chars.next() else {
            out.push('%');
            break;
        };
        let hour12 = if tm.hour % 12 == 0 { 12 } else { tm.hour % 12 };
        let sunday_wday = (tm.wday + 1).rem_euclid(7);
        match d {
            'a' => out.push_str(&day_name(tm)[..3]),
            'A' => out.push_str(day_name(tm)),
            'b' | 'h' => out.push_str(&month_name(tm)[..3]),
            'B' => out.push_str(month_name(tm)),
            'c' => out.push_str(&asctime_text(tm)),
            'C' => out.push_str(&format!("{:02}", tm.year.div_euclid(100))),
            'd' => out.push_str(&format!("{:02}", tm.mday)),
            'D' => out.push_str(&format!(
                "{:02}/{:02}/{:02}",
                tm.mon,
                tm.mday,
                tm.year.rem_euclid(100)
            )),
            'e' => out.push_str(&format!("{:2}", tm.mday)),
            'F' => out.push_str(&format!("{}-{:02}-{:02}", tm.year, tm.mon, tm.mday)),
            'G' => out.push_str(&iso_week(tm).0.to_string()),
            'g' => out.push_str(&format!("{:02}", iso_week(tm).0.rem_euclid(100))),
            'H' => out.push_str(&format!("{:02}", tm.hour)),
            'I' => out.push_str(&format!("{hour12:02}")),
            'j' => out.push_str(&format!("{:03}", tm.yday)),
            'k' => out.push_str(&format!("{:2}", tm.hour)),
            'l' => out.push_str(&format!("{hour12:2}")),
            'm' => out.push_str(&format!("{:02}", tm.mon)),
            'M' => out.push_str(&format!("{:02}", tm.min)),
            'n' => out.push('\n'),
            'p' => out.push_str(if tm.hour < 12 { "AM" } else { "PM" }),
            'r' => out.push_str(&format!(
                "{hour12:02}:{:02}:{:02} {}",
                tm.min,
                tm.sec,
                if tm.hour < 12 { "AM" } else { "PM" }
            )),
            'R' => out.push_str(&format!("{:02}:{:02}", tm.hour, tm.min)),
            's' => out.push_str(&tm_to_secs(tm).to_string()),
            'S' => out.push_str(&format!("{:02}", tm.sec)),
            't' => out.push('\t'),
            'T' | 'X' => out.push_str(&format!("{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec)),
            'u' => out.push_str(&(tm.wday.rem_euclid(7) + 1).to_string()),
            'U' => out.push_str(&format!("{:02}", (tm.yday - 1 + 7 - sunday_wday) / 7)),
            'V' => out.push_str(&format!("{:02}", iso_week(tm).1)),
            'w' => out.push_str(&sunday_wday.to_string()),
            'W' => out.push_str(&format!(
                "{:02}",
                (tm.yday - 1 + 7 - tm.wday.rem_euclid(7)) / 7
            )),
            'x' => out.push_str(&format!(
                "{:02}/{:02}/{:02}",
                tm.mon,
                tm.mday,
                tm.year.rem_euclid(100)
            )),
            'y' => out.push_str(&format!("{:02}", tm.year.rem_euclid(100))),
            'Y' => out.push_str(&tm.year.to_string()),
            'z' => out.push_str("+0000"),
            'Z' => out.push_str(zone),
            '%' => out.push('%'),
            other => {
                out.push('%');
                out.push(other);
            }
        }
    }
    out
}

fn zone_of(v: &Value) -> String {
    match v {
        Value::Instance(i) => match i.attrs.get_str("tm_zone") {
            Some(Value::Str(s)) => s.as_str().to_string(),
            _ => "UTC".into(),
        },
        _ => "UTC".into(),
    }
}

fn strftime(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("strftime", kw)?;
    args::count("strftime", args, 1, 2)?;
    let fmt = args::expect_str("strftime", &args[0])?;
    let (mut tm, zone) = match args.get(1) {
        Some(t) => (tm_arg("strftime", t)?, zone_of(t)),
        None => (tm_from_secs(now_secs(vm)), "UTC".to_string()),
    };
    check_tm(&mut tm)?;
    Ok(Value::string(format_tm(fmt.as_str(), &tm, &zone)))
}

fn asctime(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    args::no_kwargs("asctime", kw)?;
    args::count("asctime", args, 0, 1)?;
    let mut tm = match args.first() {
        Some(t) => tm_arg("asctime", t)?,
        None => tm_from_secs(now_secs(vm)),
    };
    check_tm(&mut tm)?;
    Ok(Value::string(asctime_text(&tm)))
}

fn ctime(vm: &mut Vm, args: &[Value], kw: Kw) -> ToyResult<Value> {
    let secs = secs_arg(vm, "ctime", args, kw)?;
    Ok(Value::string(asctime_text(&tm_from_secs(secs))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 59, 365, 11_016, 19_723, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
    }
}
