package jocker.seccomp;

import jocker.spec.SpecException;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Turns a seccomp profile into the classic BPF program the kernel runs on
 * every system call (seccomp(2), "SECCOMP_SET_MODE_FILTER"): an
 * instruction list that reads struct seccomp_data and returns an action.
 * libseccomp builds a tree; this builds the plainest correct program, a
 * list of tests tried in order, short enough to read:
 *
 * <pre>
 *   A = arch;  if A != AUDIT_ARCH_X86_64: return DEFAULT
 *   A = nr;    if A >= X32 bit:           return DEFAULT
 *   for each rule, in the profile's order:
 *       A = nr; if A == rule's call and every argument condition holds: return rule's action
 *   return DEFAULT
 * </pre>
 *
 * Rules without conditions and with one action are grouped: one load of the
 * number, then one jeq per call, all jumping to one return.
 */
public final class Compiler {
    private Compiler() {}

    // classic BPF opcodes (linux/bpf_common.h)
    private static final int LD_W_ABS = 0x20;   // A = seccomp_data[k]
    private static final int JEQ = 0x15;        // jump if A == k
    private static final int JGT = 0x25;
    private static final int JGE = 0x35;
    private static final int AND = 0x54;        // A &= k
    private static final int RET = 0x06;        // return k

    // offsets in struct seccomp_data { int nr; u32 arch; u64 ip; u64 args[6]; }
    private static final int NR = 0;
    private static final int ARCH = 4;

    // actions (linux/seccomp.h)
    static final int RET_KILL_PROCESS = 0x80000000;
    static final int RET_KILL_THREAD = 0x00000000;
    static final int RET_TRAP = 0x00030000;
    static final int RET_ERRNO = 0x00050000;
    static final int RET_TRACE = 0x7ff00000;
    static final int RET_LOG = 0x7ffc0000;
    static final int RET_ALLOW = 0x7fff0000;
    private static final int EPERM = 1;
    /** Longest group of calls sharing one return: a jump offset is one byte. */
    private static final int GROUP = 200;
    private static final int MAX_INSTRUCTIONS = 4096; // BPF_MAXINSNS

    private record Insn(int code, int jt, int jf, int k) {
    }

    // tag::compile[]
    /**
     * The program for a profile, for a process with these capabilities (docker's
     * profile files grant some calls only with a capability). Calls x86_64 does
     * not have (an i386-only name) are skipped, as runc skips them.
     */
    public static byte[] compile(Profile profile, Collection<String> capabilities) {
        Syscalls.requireX8664();
        if (profile.listenerPath() != null && !profile.listenerPath().isEmpty()) {
            throw new SpecException("linux.seccomp.listenerPath: seccomp notification is not supported by jocker");
        }
        for (String flag : profile.flags()) {
            if (!flag.equals("SECCOMP_FILTER_FLAG_LOG") && !flag.equals("SECCOMP_FILTER_FLAG_SPEC_ALLOW")) {
                throw new SpecException("linux.seccomp.flags: " + flag + " is not supported by jocker");
            }
        }
        int defaultAction = action(profile.defaultAction(), profile.defaultErrnoRet(), "defaultAction");
        List<Insn> program = new ArrayList<>();
        program.add(new Insn(LD_W_ABS, 0, 0, ARCH));
        program.add(new Insn(JEQ, 1, 0, Syscalls.AUDIT_ARCH_X86_64));
        program.add(new Insn(RET, 0, 0, defaultAction));     // another architecture's calls
        program.add(new Insn(LD_W_ABS, 0, 0, NR));
        program.add(new Insn(JGE, 0, 1, Syscalls.X32_SYSCALL_BIT));
        program.add(new Insn(RET, 0, 0, defaultAction));     // x32 calls
        for (Profile.Rule rule : profile.syscalls()) {
            if (!applies(rule, capabilities)) {
                continue;
            }
            int action = action(rule.action(), rule.errnoRet(), "syscalls[].action");
            List<Integer> numbers = new ArrayList<>();
            for (String name : rule.names()) {
                Integer nr = Syscalls.number(name);
                if (nr != null) {
                    numbers.add(nr);
                }
            }
            if (rule.args().isEmpty()) {
                for (int i = 0; i < numbers.size(); i += GROUP) {
                    group(program, numbers.subList(i, Math.min(numbers.size(), i + GROUP)), action);
                }
            } else {
                for (int nr : numbers) {
                    conditional(program, nr, rule.args(), action);
                }
            }
        }
        program.add(new Insn(RET, 0, 0, defaultAction));
        if (program.size() > MAX_INSTRUCTIONS) {
            throw new SpecException("linux.seccomp: the profile needs " + program.size()
                    + " BPF instructions, more than the kernel's " + MAX_INSTRUCTIONS);
        }
        return encode(program);
    }
    // end::compile[]

    /** A = nr; if A == n1 or n2 or ...: return action. */
    private static void group(List<Insn> program, List<Integer> numbers, int action) {
        if (numbers.isEmpty()) {
            return;
        }
        program.add(new Insn(LD_W_ABS, 0, 0, NR));
        int g = numbers.size();
        for (int j = 1; j <= g; j++) {
            // jeq number j: to the return after the last jeq; the last one's miss skips it
            program.add(new Insn(JEQ, g - j, j == g ? 1 : 0, numbers.get(j - 1)));
        }
        program.add(new Insn(RET, 0, 0, action));
    }

    /** A = nr; if A == nr and every condition holds: return action. Jumps marked END go past the return. */
    private static void conditional(List<Insn> program, int nr, List<Profile.Arg> args, int action) {
        List<Insn> body = new ArrayList<>();
        body.add(new Insn(LD_W_ABS, 0, 0, NR));
        body.add(new Insn(JEQ, 0, END, nr));
        for (Profile.Arg arg : args) {
            condition(body, arg);
        }
        body.add(new Insn(RET, 0, 0, action));
        int end = body.size();
        for (int i = 0; i < body.size(); i++) {
            Insn in = body.get(i);
            int jt = in.jt == END ? end - i - 1 : in.jt;
            int jf = in.jf == END ? end - i - 1 : in.jf;
            program.add(new Insn(in.code, jt, jf, in.k));
        }
    }

    private static final int END = -1;

    // tag::condition[]
    /**
     * One argument condition, on 64 bits with a 32-bit machine: the high
     * words are compared first, the low words only when the high ones are
     * equal. A failed condition jumps to END (the next rule); a passed one
     * falls through to the next condition, or to the return.
     */
    private static void condition(List<Insn> body, Profile.Arg arg) {
        if (arg.index() < 0 || arg.index() > 5) {
            throw new SpecException("linux.seccomp: argument index " + arg.index() + " is not 0 to 5");
        }
        int lo = 16 + 8 * arg.index(); // args[i], little-endian: low word first
        int hi = lo + 4;
        int vlo = (int) arg.value();
        int vhi = (int) (arg.value() >>> 32);
        String op = arg.op() == null ? "" : arg.op();
        switch (op) {
            case "SCMP_CMP_EQ" -> {
                body.add(new Insn(LD_W_ABS, 0, 0, hi));
                body.add(new Insn(JEQ, 0, END, vhi));
                body.add(new Insn(LD_W_ABS, 0, 0, lo));
                body.add(new Insn(JEQ, 0, END, vlo));
            }
            case "SCMP_CMP_NE" -> {
                body.add(new Insn(LD_W_ABS, 0, 0, hi));
                body.add(new Insn(JEQ, 0, 2, vhi));       // high words differ: holds
                body.add(new Insn(LD_W_ABS, 0, 0, lo));
                body.add(new Insn(JEQ, END, 0, vlo));
            }
            case "SCMP_CMP_MASKED_EQ" -> {               // (arg & value) == valueTwo
                body.add(new Insn(LD_W_ABS, 0, 0, hi));
                body.add(new Insn(AND, 0, 0, vhi));
                body.add(new Insn(JEQ, 0, END, (int) (arg.valueTwo() >>> 32)));
                body.add(new Insn(LD_W_ABS, 0, 0, lo));
                body.add(new Insn(AND, 0, 0, vlo));
                body.add(new Insn(JEQ, 0, END, (int) arg.valueTwo()));
            }
            case "SCMP_CMP_GT", "SCMP_CMP_GE" -> {
                body.add(new Insn(LD_W_ABS, 0, 0, hi));
                body.add(new Insn(JGT, 3, 0, vhi));       // high word above: holds
                body.add(new Insn(JEQ, 0, END, vhi));     // below: fails
                body.add(new Insn(LD_W_ABS, 0, 0, lo));
                body.add(new Insn(op.equals("SCMP_CMP_GT") ? JGT : JGE, 0, END, vlo));
            }
            case "SCMP_CMP_LT", "SCMP_CMP_LE" -> {
                body.add(new Insn(LD_W_ABS, 0, 0, hi));
                body.add(new Insn(JGE, 0, 3, vhi));       // high word below: holds
                body.add(new Insn(JEQ, 0, END, vhi));     // above: fails
                body.add(new Insn(LD_W_ABS, 0, 0, lo));
                body.add(new Insn(op.equals("SCMP_CMP_LT") ? JGE : JGT, END, 0, vlo));
            }
            default -> throw new SpecException("linux.seccomp: unknown argument operator \"" + arg.op() + "\"");
        }
    }
    // end::condition[]

    private static boolean applies(Profile.Rule rule, Collection<String> capabilities) {
        if (rule.includes() != null) {
            if (rule.includes().caps() != null && !capabilities.containsAll(rule.includes().caps())) {
                return false;
            }
            if (rule.includes().arches() != null && !rule.includes().arches().isEmpty()
                    && !rule.includes().arches().contains("amd64")) {
                return false;
            }
        }
        if (rule.excludes() != null) {
            if (rule.excludes().caps() != null && rule.excludes().caps().stream().anyMatch(capabilities::contains)) {
                return false;
            }
            if (rule.excludes().arches() != null && rule.excludes().arches().contains("amd64")) {
                return false;
            }
        }
        return true;
    }

    static int action(String name, Integer errno, String field) {
        String a = name == null ? "" : name.toUpperCase(Locale.ROOT);
        return switch (a) {
            case "SCMP_ACT_ALLOW" -> RET_ALLOW;
            case "SCMP_ACT_ERRNO" -> RET_ERRNO | ((errno == null ? EPERM : errno) & 0xffff);
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> RET_KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> RET_KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> RET_TRAP;
            case "SCMP_ACT_TRACE" -> RET_TRACE | ((errno == null ? EPERM : errno) & 0xffff);
            case "SCMP_ACT_LOG" -> RET_LOG;
            default -> throw new SpecException("linux.seccomp." + field + ": unknown or unsupported action \"" + name + "\"");
        };
    }

    /** struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }, little-endian, one after another. */
    private static byte[] encode(List<Insn> program) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(program.size() * 8);
        for (Insn in : program) {
            if (in.jt < 0 || in.jt > 255 || in.jf < 0 || in.jf > 255) {
                throw new IllegalStateException("BPF jump out of range: " + in);
            }
            out.write(in.code & 0xff);
            out.write(in.code >>> 8);
            out.write(in.jt);
            out.write(in.jf);
            out.write(in.k);
            out.write(in.k >>> 8);
            out.write(in.k >>> 16);
            out.write(in.k >>> 24);
        }
        return out.toByteArray();
    }
}
