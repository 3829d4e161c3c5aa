//! CPU accounting for the benchmarks, read from Linux's `/proc`: the CPU time a process has
//! used, the CPU time of every PostgreSQL process on the machine, and the machine's own time
//! split into busy, idle and stolen by the hypervisor. A benchmark takes a [`Sample`] before and
//! after what it times and reports the [`Usage`] between them, so a figure can be read against
//! what the machine had to give: on a shared two-core machine the same build's throughput moves
//! with the machine, while its CPU time per request moves much less.

use std::time::Duration;

/// The CPU time (user and system) the process `pid` has used so far.
pub fn process(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    ticks_of_stat(&stat).map(seconds)
}

/// The CPU time (user and system) every process named `postgres` on the machine has used so far:
/// the server's backends, its writers and its checkpointer. A backend that exits between two
/// samples takes its time with it, so connections should outlive what is measured (a pool's do).
pub fn postgres() -> Duration {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Duration::ZERO;
    };
    let ticks: u64 = entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter(|stat| stat.contains(" (postgres) "))
        .filter_map(|stat| ticks_of_stat(&stat))
        .sum();
    seconds(ticks)
}

/// utime + stime of a `/proc/PID/stat` line, in clock ticks. The command name is in
/// parentheses and may hold spaces, so the fields are counted after its closing one: state is
/// the 3rd field of the line, utime the 14th and stime the 15th.
fn ticks_of_stat(stat: &str) -> Option<u64> {
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

fn ticks_per_second() -> u64 {
    // SAFETY: sysconf only reads a configuration value.
    let n = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(n).ok().filter(|n| *n > 0).unwrap_or(100)
}

fn seconds(ticks: u64) -> Duration {
    Duration::from_secs_f64(ticks as f64 / ticks_per_second() as f64)
}

/// The machine's CPU time so far, in ticks (the first line of `/proc/stat`: user, nice, system,
/// idle, iowait, irq, softirq, steal).
#[derive(Debug, Clone, Copy, Default)]
pub struct MachineTicks {
    pub total: u64,
    pub idle: u64,
    pub steal: u64,
}

pub fn machine() -> Option<MachineTicks> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let t: Vec<u64> = line
        .split_whitespace()
        .take(8)
        .map(|t| t.parse().ok())
        .collect::<Option<_>>()?;
    Some(MachineTicks {
        total: t.iter().sum(),
        idle: t.get(3)? + t.get(4)?,
        steal: *t.get(7)?,
    })
}

/// What the machine and the processes of a benchmark had used at one moment.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    server: Option<Duration>,
    postgres: Duration,
    this: Option<Duration>,
    machine: Option<MachineTicks>,
}

impl Sample {
    /// Now, for the server `server_pid` (when given), PostgreSQL and this process.
    pub fn take(server_pid: Option<u32>) -> Sample {
        Sample {
            server: server_pid.and_then(process),
            postgres: postgres(),
            this: process(std::process::id()),
            machine: machine(),
        }
    }

    /// What was used from `before` to this sample.
    pub fn since(&self, before: &Sample) -> Usage {
        let diff =
            |a: Option<Duration>, b: Option<Duration>| a.zip(b).map(|(a, b)| a.saturating_sub(b));
        let (busy, stolen) = match self.machine.zip(before.machine) {
            Some((now, then)) if now.total > then.total => {
                let total = (now.total - then.total) as f64;
                let idle = now.idle.saturating_sub(then.idle) as f64;
                let steal = now.steal.saturating_sub(then.steal) as f64;
                (
                    Some(100.0 * (total - idle - steal) / total),
                    Some(100.0 * steal / total),
                )
            }
            _ => (None, None),
        };
        Usage {
            server: diff(self.server, before.server),
            postgres: self.postgres.saturating_sub(before.postgres),
            this: diff(self.this, before.this),
            busy_percent: busy,
            stolen_percent: stolen,
        }
    }
}

/// CPU used between two samples.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    pub server: Option<Duration>,
    pub postgres: Duration,
    /// The benchmark's own process (the load generator, and any receivers it runs).
    pub this: Option<Duration>,
    /// The share of the machine's CPU time that something used, in percent.
    pub busy_percent: Option<f64>,
    /// The share the hypervisor gave to other guests, in percent.
    pub stolen_percent: Option<f64>,
}

/// `d` per request in milliseconds, two decimals, or "-".
pub fn per_request_ms(d: Option<Duration>, requests: usize) -> String {
    match d {
        Some(d) if requests > 0 => format!("{:.2}", d.as_secs_f64() * 1000.0 / requests as f64),
        _ => "-".to_owned(),
    }
}

/// A percentage with no decimals, or "-".
pub fn percent(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.0}"))
        .unwrap_or_else(|| "-".to_owned())
}
