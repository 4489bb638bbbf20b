//! A seccomp-BPF program that makes only the selected syscalls stop the
//! tracee (SECCOMP_RET_TRACE) and lets every other one run at full speed
//! (SECCOMP_RET_ALLOW). Filters are inherited by every thread and child,
//! and the engine tracks per thread whether one is in force, so threads
//! created later are fast too.

/// The syscalls that should stop the tracee, per ABI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeccompFilter {
    /// x86_64 syscall numbers to trace.
    pub x86_64: Vec<u64>,
    /// i386 syscall numbers to trace.
    pub i386: Vec<u64>,
}

const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
const AUDIT_ARCH_I386: u32 = 0x4000_0003;
const RET_TRACE: u32 = 0x7ff0_0000;
const RET_ALLOW: u32 = 0x7fff_0000;
const LD_W_ABS: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
const JEQ_K: u16 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const JA: u16 = 0x05; // BPF_JMP | BPF_JA
const RET_K: u16 = 0x06; // BPF_RET | BPF_K

fn ins(code: u16, jt: u8, jf: u8, k: u32) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

fn block(out: &mut Vec<libc::sock_filter>, nrs: &[u64]) {
    out.push(ins(LD_W_ABS, 0, 0, 0)); // seccomp_data.nr
    for &nr in nrs {
        out.push(ins(JEQ_K, 0, 1, nr as u32));
        out.push(ins(RET_K, 0, 0, RET_TRACE));
    }
    out.push(ins(RET_K, 0, 0, RET_ALLOW));
}

impl SeccompFilter {
    /// The BPF program.
    pub(crate) fn program(&self) -> Vec<libc::sock_filter> {
        let mut p = vec![
            ins(LD_W_ABS, 0, 0, 4), // seccomp_data.arch
            ins(JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        ];
        let ja = p.len();
        p.push(ins(JA, 0, 0, 0)); // to the i386 check, patched below
        block(&mut p, &self.x86_64);
        p[ja].k = (p.len() - ja - 1) as u32;
        p.push(ins(JEQ_K, 1, 0, AUDIT_ARCH_I386));
        p.push(ins(RET_K, 0, 0, RET_ALLOW));
        block(&mut p, &self.i386);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_shape() {
        let f = SeccompFilter {
            x86_64: vec![1, 2],
            i386: vec![4],
        };
        let p = f.program();
        // arch load, arch check, jump, x86 block (1 + 2*2 + 1), i386 check, allow, i386 block (1+2+1)
        assert_eq!(p.len(), 3 + 6 + 2 + 4);
        assert_eq!(p[2].code, JA);
        assert_eq!(p[2].k as usize, 6, "jump skips the x86_64 block");
        assert_eq!(p[3 + 6].k, AUDIT_ARCH_I386);
        assert_eq!(p.last().map(|i| i.k), Some(RET_ALLOW));
    }
}
