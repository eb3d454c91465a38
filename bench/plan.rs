//! `make bench`, core part: the cost of a plan per backend, its growth with the number of
//! ranges, its independence from the file's size, and its allocations, each against the
//! floor of the system calls a plan cannot avoid (open, fstat, close), in the same run;
//! and the cost of a plan for an object in a store (signing included) against the local
//! nginx plan.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fs::File;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use sendfile::{Backend, Config, FileOptions, Options, Request};

/// Counts allocations, to report how many a plan makes.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is forwarded as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Median nanoseconds per call of `work` over several timed batches.
fn time_per_call(mut work: impl FnMut()) -> f64 {
    for _ in 0..2_000 {
        work();
    }
    let mut samples: Vec<f64> = (0..15)
        .map(|_| {
            let iterations = 5_000;
            let start = Instant::now();
            for _ in 0..iterations {
                work();
            }
            start.elapsed().as_nanos() as f64 / iterations as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn allocations_per_call(mut work: impl FnMut()) -> f64 {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..1_000 {
        work();
    }
    (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / 1_000.0
}

/// The time of a plain GET plan of `path` under `config`, and its report row: the time,
/// its ratio to `against`, the allocations.
fn plan_row(label: &str, config: &Config, path: &str, against: f64) -> (f64, String) {
    let plain = Request::get();
    let file = FileOptions::new(path);
    let work = || {
        black_box(config.plan(black_box(&plain), black_box(&file)).unwrap());
    };
    let ns = time_per_call(work);
    let allocations = allocations_per_call(work);
    let row = format!(
        "{label:<28}{ns:>10.0}{:>13.2}x{allocations:>14.1}\n",
        ns / against
    );
    (ns, row)
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    std::fs::write(root.join("small.txt"), vec![b'x'; 1024]).unwrap();
    // A sparse 1 GiB file: the plan must cost the same as for 1 KiB.
    File::create(root.join("big.bin"))
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let mut report = String::new();

    let floor = time_per_call(|| {
        let file = File::open(black_box(root.join("small.txt"))).unwrap();
        black_box(file.metadata().unwrap().len());
    });
    report += "plan per backend (1 KiB file, GET, no conditionals)\n";
    report += &format!(
        "{:<28}{:>10}{:>14}{:>14}\n",
        "", "ns/plan", "vs floor", "allocations"
    );
    report += &format!(
        "{:<28}{:>10.0}{:>14}{:>14}\n",
        "floor: open+fstat+close", floor, "1.00x", "-"
    );
    let plain = Request::get();
    let mut nginx_ns = f64::NAN;
    for backend in Backend::ALL {
        let config = Config::builder(backend)
            .root(root)
            .url("/protected")
            .build()
            .unwrap();
        let (ns, row) = plan_row(backend.name(), &config, "small.txt", floor);
        report += &row;
        if backend == Backend::Nginx {
            nginx_ns = ns;
        }
    }

    // An object in a store: the key checked and joined to the prefix, a presigned URL
    // (SigV4, signing included) and the header, no system call. The bar: at most
    // twice a local nginx plan.
    report += "
object in a store (presigned URL, signing included)\n";
    report += &format!(
        "{:<28}{:>10}{:>14}{:>14}\n",
        "", "ns/plan", "vs nginx", "allocations"
    );
    for (label, backend) in [
        ("store: nginx X-Accel", Backend::Nginx),
        ("store: redirect (simple)", Backend::Simple),
    ] {
        let mut options = Options::default();
        for (name, value) in [
            ("store_endpoint", "https://s3.eu-west-1.amazonaws.com"),
            ("store_bucket", "media"),
            ("store_region", "eu-west-1"),
            ("store_prefix", "private"),
            ("store_access_key", "AKIAIOSFODNN7EXAMPLE"),
            (
                "store_secret_key",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ),
        ] {
            options.set(name, value).unwrap();
        }
        let config = Config::builder(backend).options(options).build().unwrap();
        report += &plan_row(label, &config, "reports/small.txt", nginx_ns).1;
    }

    let config = Config::builder(Backend::Simple).root(root).build().unwrap();
    report += "\nsimple backend, k ranges of the 1 GiB file (multipart for k > 1)\n";
    report += &format!(
        "{:<28}{:>10}{:>14}{:>14}\n",
        "", "ns/plan", "vs k=1", "allocations"
    );
    let mut k1 = 0.0;
    for k in [1u64, 4, 16, 64] {
        // Unsorted, disjoint ranges, so that sorting and coalescing do real work.
        let ranges: Vec<String> = (0..k)
            .map(|i| {
                let start = ((i * 7919) % k) * (1 << 20);
                format!("{start}-{}", start + 999)
            })
            .collect();
        let request = Request::get().with_header("Range", &format!("bytes={}", ranges.join(",")));
        let file = FileOptions::new("big.bin");
        let work = || {
            let plan = config.plan(black_box(&request), black_box(&file)).unwrap();
            assert_eq!(plan.status(), 206);
            black_box(plan);
        };
        let ns = time_per_call(work);
        if k == 1 {
            k1 = ns;
        }
        report += &format!(
            "{:<28}{:>10.0}{:>13.2}x{:>14.1}\n",
            format!("k = {k}"),
            ns,
            ns / k1,
            allocations_per_call(work)
        );
    }

    report += "\nsimple backend, whole file: cost against size\n";
    let small = FileOptions::new("small.txt");
    let big = FileOptions::new("big.bin");
    let small_ns = time_per_call(|| {
        black_box(config.plan(&plain, &small).unwrap());
    });
    let big_ns = time_per_call(|| {
        black_box(config.plan(&plain, &big).unwrap());
    });
    report += &format!(
        "{:<28}{:>10.0}\n{:<28}{:>10.0}{:>13.2}x\n",
        "1 KiB",
        small_ns,
        "1 GiB",
        big_ns,
        big_ns / small_ns
    );

    print!("{report}");
    let out = std::env::var("BENCH_OUT").unwrap_or_else(|_| "target/bench".to_owned());
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(format!("{out}/plan.txt"), &report).unwrap();
}
