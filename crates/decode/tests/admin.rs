//! adjtimex/clock_adjtime, quotactl, kexec_load/kexec_file_load and
//! _sysctl in the shapes the self-checking helpers cannot produce safely
//! (a successful quotactl, adjtimex modes other than 0): the expected lines
//! were printed by strace 6.1 for the same memory, with the real call
//! replaced by strace's fault injection.

mod common;
use common::*;
use ptrail_decode::DecodeOptions;

fn verbose() -> DecodeOptions {
    DecodeOptions {
        verbose: true,
        ..DecodeOptions::default()
    }
}

/// 64 words 0x0101..01, 0x0202..02, ... as the probe filled its buffer.
fn pattern() -> Vec<u8> {
    let mut b = Vec::new();
    for i in 1..=64u64 {
        b.extend_from_slice(&(0x0101_0101_0101_0101u64.wrapping_mul(i)).to_le_bytes());
    }
    b
}

fn timex(modes: u32, status: u32, offset: i64, freq: i64, usec: i64) -> Vec<u8> {
    let mut b = vec![0u8; 208];
    b[0..4].copy_from_slice(&modes.to_le_bytes());
    b[8..16].copy_from_slice(&offset.to_le_bytes());
    b[16..24].copy_from_slice(&freq.to_le_bytes());
    b[40..44].copy_from_slice(&status.to_le_bytes());
    b[80..88].copy_from_slice(&usec.to_le_bytes());
    b
}

#[test]
fn adjtimex_modes_status_and_states() {
    let mut m = Mem::new();
    let all = m.put(&timex(0xffff_ffff, 0xffff_ffff, 0, 0, 0));
    assert_eq!(
        line("adjtimex", &[all], 0, &m),
        "adjtimex({modes=ADJ_OFFSET_SS_READ|ADJ_FREQUENCY|ADJ_MAXERROR|ADJ_ESTERROR|ADJ_STATUS|ADJ_TIMECONST|ADJ_TAI|ADJ_SETOFFSET|ADJ_MICRO|ADJ_TICK|0xffff0e40, offset=0, freq=0, maxerror=0, esterror=0, status=STA_PLL|STA_PPSFREQ|STA_PPSTIME|STA_FLL|STA_INS|STA_DEL|STA_UNSYNC|STA_FREQHOLD|STA_PPSSIGNAL|STA_PPSJITTER|STA_PPSWANDER|STA_PPSERROR|STA_CLOCKERR|STA_NANO|STA_MODE|STA_CLK|0xffff0000, constant=0, precision=0, tolerance=0, time={tv_sec=0, tv_usec=0}, tick=0, ppsfreq=0, jitter=0, shift=0, stabil=0, jitcnt=0, calcnt=0, errcnt=0, stbcnt=0, tai=0}) = 0 (TIME_OK)"
    );
    let some = m.put(&timex(
        0xa001,
        0x1 | 0x2 | 0x2000 | 0x8000 | 0x4000,
        -5,
        -7,
        -3,
    ));
    assert_eq!(
        line("adjtimex", &[some], 2, &m),
        "adjtimex({modes=ADJ_OFFSET_SS_READ, offset=-5, freq=-7, maxerror=0, esterror=0, status=STA_PLL|STA_PPSFREQ|STA_NANO|STA_MODE|STA_CLK, constant=0, precision=0, tolerance=0, time={tv_sec=0, tv_usec=18446744073709551613}, tick=0, ppsfreq=0, jitter=0, shift=0, stabil=0, jitcnt=0, calcnt=0, errcnt=0, stbcnt=0, tai=0}) = 2 (TIME_DEL)"
    );
    let mut odd = timex(0x8001 | 0x4000 | 0x10000, 0x10000, 0, 0, 0);
    odd[72..80].copy_from_slice(&(-1i64).to_le_bytes());
    odd[88..96].copy_from_slice(&(-4i64).to_le_bytes());
    odd[112..116].copy_from_slice(&(-3i32).to_le_bytes());
    odd[160..164].copy_from_slice(&(-2i32).to_le_bytes());
    let odd = m.put(&odd);
    assert_eq!(
        line("clock_adjtime", &[0, odd], 6, &m),
        "clock_adjtime(CLOCK_REALTIME, {modes=ADJ_OFFSET_SINGLESHOT|ADJ_TICK|0x10000, offset=0, freq=0, maxerror=0, esterror=0, status=0x10000 /* STA_??? */, constant=0, precision=0, tolerance=0, time={tv_sec=-1, tv_usec=0}, tick=-4, ppsfreq=0, jitter=0, shift=-3, stabil=0, jitcnt=0, calcnt=0, errcnt=0, stbcnt=0, tai=-2}) = 6"
    );
    assert_eq!(
        line("adjtimex", &[odd], neg(1), &m),
        format!("adjtimex({odd:#x}) = -1 EPERM (Operation not permitted)")
    );
    // a struct cut short by unreadable memory is shown as its address
    let short = m.put(&[0u8; 100]);
    assert_eq!(
        line("adjtimex", &[short], 0, &m),
        format!("adjtimex({short:#x}) = 0 (TIME_OK)")
    );
}

#[test]
fn kexec_flags_and_segments() {
    let mut m = Mem::new();
    let segs = m.put(
        &B::default()
            .u64(0x1000)
            .u64(10)
            .u64(0x100000)
            .u64(4096)
            .u64(0)
            .u64(0)
            .u64(0x200000)
            .u64(8192)
            .0,
    );
    let cases: &[(&[u64], &str)] = &[
        (&[0x1000, 2, segs, 0xffff_0000], "kexec_load(0x1000, 2, [{buf=0x1000, bufsz=10, mem=0x100000, memsz=4096}, {buf=NULL, bufsz=0, mem=0x200000, memsz=8192}], 0xffff0000 /* KEXEC_ARCH_??? */)"),
        (&[0x1000, 2, segs, 0x2 | 0x30000], "kexec_load(0x1000, 2, [{buf=0x1000, bufsz=10, mem=0x100000, memsz=4096}, {buf=NULL, bufsz=0, mem=0x200000, memsz=8192}], KEXEC_ARCH_386|KEXEC_PRESERVE_CONTEXT)"),
        (&[0x1000, 2, 1, 0x7], "kexec_load(0x1000, 2, 0x1, KEXEC_ARCH_DEFAULT|KEXEC_ON_CRASH|KEXEC_PRESERVE_CONTEXT|0x4)"),
        (&[0x1000, 17, segs, 0x8], &format!("kexec_load(0x1000, 17, {segs:#x}, KEXEC_ARCH_DEFAULT|0x8 /* KEXEC_??? */)")),
        (&[0x1000, 0, segs, 0x10], "kexec_load(0x1000, 0, [], KEXEC_ARCH_DEFAULT|0x10 /* KEXEC_??? */)"),
        (&[0, 0, 0, 0], "kexec_load(NULL, 0, NULL, KEXEC_ARCH_DEFAULT)"),
        (&[0, 0, 0, 0x1234_0001], "kexec_load(NULL, 0, NULL, 0x12340000 /* KEXEC_ARCH_??? */|KEXEC_ON_CRASH)"),
        (&[0, 0, 0, 0x1234_0008], "kexec_load(NULL, 0, NULL, 0x12340000 /* KEXEC_ARCH_??? */|0x8 /* KEXEC_??? */)"),
        (&[0, 0, 0, 0x003e_0009], "kexec_load(NULL, 0, NULL, KEXEC_ARCH_X86_64|KEXEC_ON_CRASH|0x8)"),
        (&[0, 0, 0, 0x0102_ffff_0000], "kexec_load(NULL, 0, NULL, 0xffff0000 /* KEXEC_ARCH_??? */|0x10200000000 /* KEXEC_??? */)"),
        (&[0, u64::MAX, 0, 0x102_0000], "kexec_load(NULL, 18446744073709551615, NULL, KEXEC_ARCH_LOONGARCH)"),
    ];
    for (args, want) in cases {
        assert_eq!(
            line("kexec_load", args, neg(38), &m),
            format!("{want} = -1 ENOSYS (Function not implemented)")
        );
    }
    let s = m.put(b"ab\x01\0");
    let long = m.cstr("xyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxyz");
    let cases: &[(&[u64], String)] = &[
        (&[u64::MAX, 5, 4, s, 6], "kexec_file_load(-1, 5, 4, \"ab\\1\\0\", KEXEC_FILE_ON_CRASH|KEXEC_FILE_NO_INITRAMFS)".into()),
        (&[3, 4, 0, 0, 0xffff_ffff], "kexec_file_load(3, 4, 0, NULL, KEXEC_FILE_UNLOAD|KEXEC_FILE_ON_CRASH|KEXEC_FILE_NO_INITRAMFS|0xfffffff8)".into()),
        (&[3, 4, 100, long, 8], "kexec_file_load(3, 4, 100, \"xyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxy\"..., 0x8 /* KEXEC_FILE_??? */)".into()),
        (&[-100i64 as u64, 0x1_0000_0000, 0x1_ffff_ffff, 0, 0], "kexec_file_load(-100, 0, 8589934591, NULL, 0)".into()),
    ];
    for (args, want) in cases {
        assert_eq!(
            line("kexec_file_load", args, neg(38), &m),
            format!("{want} = -1 ENOSYS (Function not implemented)")
        );
    }
}

#[test]
fn sysctl_args() {
    let mut m = Mem::new();
    let a = m.put(
        &B::default()
            .u64(0x7ffc_d4b6_2a70)
            .u32(u32::MAX)
            .u32(0)
            .u64(0x7ffc_d4b6_2a30)
            .u64(0x7ffc_d4b6_2a28)
            .u64(5)
            .u64(7)
            .pad(32)
            .0,
    );
    assert_eq!(
        line("_sysctl", &[a], neg(38), &m),
        "_sysctl({name=0x7ffcd4b62a70, nlen=-1, oldval=0x7ffcd4b62a30, oldlenp=0x7ffcd4b62a28, newval=0x5, newlen=7}) = -1 ENOSYS (Function not implemented)"
    );
    let short = m.put(&[0u8; 48]);
    assert_eq!(
        line("_sysctl", &[short], neg(38), &m),
        format!("_sysctl({short:#x}) = -1 ENOSYS (Function not implemented)")
    );
}

#[test]
fn quotactl_structs() {
    let mut m = Mem::new();
    let x = m.cstr("/x");
    let mut p = pattern();
    let set = |p: &mut Vec<u8>, word: usize, v: u32| {
        p[word * 4..word * 4 + 4].copy_from_slice(&v.to_le_bytes())
    };
    set(&mut p, 16, 63);
    let dq = m.put(&p);
    let q = |cmd: u32, ty: u32| ((cmd << 8) | ty) as u64;
    assert_eq!(
        line("quotactl", &[q(0x800008, 0), x, 0, dq], 0, &m),
        "quotactl(QCMD(Q_SETQUOTA, USRQUOTA), \"/x\", 0, {dqb_bhardlimit=72340172838076673, dqb_bsoftlimit=144680345676153346, dqb_curspace=217020518514230019, dqb_ihardlimit=289360691352306692, dqb_isoftlimit=361700864190383365, dqb_curinodes=434041037028460038, ...}) = 0"
    );
    assert_eq!(
        line_opts(&verbose(), "quotactl", &[q(0x800008, 0), x, 0, dq], 0, &m),
        "quotactl(QCMD(Q_SETQUOTA, USRQUOTA), \"/x\", 0, {dqb_bhardlimit=72340172838076673, dqb_bsoftlimit=144680345676153346, dqb_curspace=217020518514230019, dqb_ihardlimit=289360691352306692, dqb_isoftlimit=361700864190383365, dqb_curinodes=434041037028460038, dqb_btime=506381209866536711, dqb_itime=578721382704613384, dqb_valid=QIF_BLIMITS|QIF_SPACE|QIF_ILIMITS|QIF_INODES|QIF_BTIME|QIF_ITIME}) = 0"
    );
    // what the later calls of the probe saw
    set(&mut p, 4, 0x10001);
    set(&mut p, 5, 7);
    set(&mut p, 16, 10);
    let b1 = m.put(&p);
    set(&mut p, 0, 9);
    let b = m.put(&p);
    let cases: &[(u32, &str, &str)] = &[
        (0x800006, "", "{dqi_bgrace=72340172838076673, dqi_igrace=144680345676153346, dqi_flags=DQF_ROOT_SQUASH|DQF_SYS_FILE, dqi_valid=IIF_BGRACE|IIF_IGRACE|IIF_FLAGS}"),
        (0x800007, "0, ", "{dqb_bhardlimit=72340172838076673, dqb_bsoftlimit=144680345676153346, dqb_curspace=30064836609, dqb_ihardlimit=289360691352306692, dqb_isoftlimit=361700864190383365, dqb_curinodes=434041037028460038, ...}"),
        (0x800009, "0, ", "{dqb_bhardlimit=72340172838076673, dqb_bsoftlimit=144680345676153346, dqb_curspace=30064836609, dqb_ihardlimit=289360691352306692, dqb_isoftlimit=361700864190383365, dqb_curinodes=434041037028460038, dqb_id=151587081, ...}"),
        (0x800005, "", "{dqi_bgrace=72340172838076673, dqi_igrace=144680345676153346, dqi_flags=DQF_ROOT_SQUASH|DQF_SYS_FILE, dqi_valid=IIF_BGRACE|IIF_IGRACE|IIF_FLAGS}"),
        (0x800004, "", "[0x9 /* QFMT_VFS_??? */]"),
        (0x5803, "0, ", "{d_version=9, d_flags=0, d_fieldmask=0, d_id=16843009, d_blk_hardlimit=144680345676153346, d_blk_softlimit=30064836609, d_ino_hardlimit=289360691352306692, d_ino_softlimit=361700864190383365, d_bcount=434041037028460038, d_icount=506381209866536711, ...}"),
        (0x5805, "", "{qs_version=9, ...}"),
        (0x5808, "", "{qs_version=9, ...}"),
    ];
    for (cmd, id, want) in cases {
        let name = match *cmd {
            0x800006 => "Q_SETINFO",
            0x800007 => "Q_GETQUOTA",
            0x800009 => "Q_GETNEXTQUOTA",
            0x800005 => "Q_GETINFO",
            0x800004 => "Q_GETFMT",
            0x5803 => "Q_XGETQUOTA",
            0x5805 => "Q_XGETQSTAT",
            _ => "Q_XGETQSTATV",
        };
        assert_eq!(
            line(
                "quotactl",
                &[q(*cmd, 0), x, 0, if *cmd > 0x800004 { b1 } else { b }],
                0,
                &m
            ),
            format!("quotactl(QCMD({name}, USRQUOTA), \"/x\", {id}{want}) = 0")
        );
    }
    let v = verbose();
    assert_eq!(
        line_opts(&v, "quotactl", &[q(0x800009, 0), x, 0, b1], 0, &m),
        "quotactl(QCMD(Q_GETNEXTQUOTA, USRQUOTA), \"/x\", 0, {dqb_bhardlimit=72340172838076673, dqb_bsoftlimit=144680345676153346, dqb_curspace=30064836609, dqb_ihardlimit=289360691352306692, dqb_isoftlimit=361700864190383365, dqb_curinodes=434041037028460038, dqb_btime=506381209866536711, dqb_itime=578721382704613384, dqb_valid=QIF_SPACE|QIF_INODES, dqb_id=151587081}) = 0"
    );
    assert_eq!(
        line_opts(&v, "quotactl", &[q(0x5809, 0), x, 0, b], 0, &m),
        "quotactl(QCMD(Q_XGETNEXTQUOTA, USRQUOTA), \"/x\", 0, {d_version=9, d_flags=0, d_fieldmask=0, d_id=16843009, d_blk_hardlimit=144680345676153346, d_blk_softlimit=30064836609, d_ino_hardlimit=289360691352306692, d_ino_softlimit=361700864190383365, d_bcount=434041037028460038, d_icount=506381209866536711, d_itimer=134744072, d_btimer=134744072, d_iwarns=10, d_bwarns=0, d_rtb_hardlimit=723401728380766730, d_rtb_softlimit=795741901218843403, d_rtbcount=868082074056920076, d_rtbtimer=218959117, d_rtbwarns=3341}) = 0"
    );
    assert_eq!(
        line_opts(&v, "quotactl", &[q(0x5805, 0), x, 0, b], 0, &m),
        "quotactl(QCMD(Q_XGETQSTAT, USRQUOTA), \"/x\", {qs_version=9, qs_flags=0, qs_uquota={qfs_ino=144680345676153346, qfs_nblks=30064836609, qfs_nextents=67372036}, qs_gquota={qfs_ino=361700864190383365, qfs_nblks=434041037028460038, qfs_nextents=117901063}, qs_incoredqs=134744072, qs_btimelimit=134744072, qs_itimelimit=10, qs_rtbtimelimit=151587081, qs_bwarnlimit=2570, qs_iwarnlimit=2570}) = 0"
    );
    assert_eq!(
        line_opts(&v, "quotactl", &[q(0x5808, 0), x, 0, b], 0, &m),
        "quotactl(QCMD(Q_XGETQSTATV, USRQUOTA), \"/x\", {qs_version=9, qs_flags=0, qs_incoredqs=16843009, qs_uquota={qfs_ino=144680345676153346, qfs_nblks=30064836609, qfs_nextents=67372036}, qs_gquota={qfs_ino=361700864190383365, qfs_nblks=434041037028460038, qfs_nextents=117901063}, qs_pquota={qfs_ino=578721382704613384, qfs_nblks=651061555391102986, qfs_nextents=168430090}, qs_btimelimit=185273099, qs_itimelimit=185273099, qs_rtbtimelimit=202116108, qs_bwarnlimit=3084, qs_iwarnlimit=3084}) = 0"
    );
    // XSETQLIM's d_version and d_flags are bytes
    set(&mut p, 0, 0xffff_ffff);
    set(&mut p, 1, 0xffff_ffff);
    let lim = m.put(&p);
    assert_eq!(
        line("quotactl", &[q(0x5804, 0), x, 0, lim], 0, &m),
        "quotactl(QCMD(Q_XSETQLIM, USRQUOTA), \"/x\", 0, {d_version=-1, d_flags=FS_USER_QUOTA|FS_PROJ_QUOTA|FS_GROUP_QUOTA|0xf8, d_fieldmask=0xffff, d_id=4294967295, d_blk_hardlimit=144680345676153346, d_blk_softlimit=30064836609, d_ino_hardlimit=289360691352306692, d_ino_softlimit=361700864190383365, d_bcount=434041037028460038, d_icount=506381209866536711, ...}) = 0"
    );
    // a failed GET shows the address
    assert_eq!(
        line("quotactl", &[q(0x800007, 0), x, 0, b], neg(1), &m),
        format!("quotactl(QCMD(Q_GETQUOTA, USRQUOTA), \"/x\", 0, {b:#x}) = -1 EPERM (Operation not permitted)")
    );
}
