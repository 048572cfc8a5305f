package jocker.cgroups.v2;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jocker.cgroups.CgroupException;
import jocker.cgroups.Resources;
import jocker.sys.Fd;
import jocker.sys.LibC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Devices on v2. There is no devices.allow file: the kernel runs a small
 * eBPF program attached to the cgroup (type BPF_PROG_TYPE_CGROUP_DEVICE)
 * on every open or mknod of a device node by a process inside, and the
 * program answers 1 (allowed) or 0 (EPERM). jocker writes that program
 * itself, instruction by instruction, from the same rules v1 writes to its
 * files, loads it with bpf(2) and attaches it to the container's cgroup.
 * It lives as long as the cgroup: removing the cgroup frees it.
 */
final class Devices {
    private Devices() {}

    // bpf(2) (linux/bpf.h)
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    private static final int BPF_CGROUP_DEVICE = 6;
    private static final int BPF_F_ALLOW_MULTI = 2;

    // what the program is given: struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; },
    // access_type being (access << 16) | type
    static final int DEV_BLOCK = 1;
    static final int DEV_CHAR = 2;
    static final int ACC_MKNOD = 1;
    static final int ACC_READ = 2;
    static final int ACC_WRITE = 4;

    // the eBPF instructions it needs (Documentation/bpf/standardization/instruction-set.rst)
    private static final int LDX_MEM_W = 0x61; // dst = *(u32 *)(src + off)
    private static final int MOV32_REG = 0xbc; // dst = src
    private static final int RSH32_IMM = 0x74; // dst >>= imm
    private static final int AND32_IMM = 0x54; // dst &= imm
    private static final int MOV64_IMM = 0xb7; // dst = imm
    private static final int JNE_IMM = 0x55;   // if dst != imm: skip off instructions
    private static final int JNE_REG = 0x5d;   // if dst != src: skip off instructions
    private static final int EXIT = 0x95;      // return r0

    // registers: r0 the answer, r1 the context (then scratch), r2 type, r3 access, r4 major, r5 minor
    private static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    static void apply(Path dir, List<Resources.DeviceRule> rules) {
        if (rules == null) {
            return;
        }
        int program = load(program(rules), dir);
        try {
            attach(program, dir);
        } finally {
            Fd.close(program);
        }
    }

    // tag::v2-device-program[]
    /**
     * The rules as a program. Like v1, the last rule that matches decides,
     * so the rules are tested from the last to the first, and the first
     * match returns its answer; a device no rule matches is denied. A rule
     * matches if each of its type, major and minor is a wildcard or equal,
     * and it grants (or denies) every access asked for.
     */
    static byte[] program(List<Resources.DeviceRule> rules) {
        Assembler a = new Assembler();
        a.op(LDX_MEM_W, R2, R1, 0, 0);  // r2 = access_type
        a.op(LDX_MEM_W, R4, R1, 4, 0);  // r4 = major
        a.op(LDX_MEM_W, R5, R1, 8, 0);  // r5 = minor
        a.op(MOV32_REG, R3, R2, 0, 0);  // r3 = access_type >> 16: the access asked
        a.op(RSH32_IMM, R3, 0, 0, 16);
        a.op(AND32_IMM, R2, 0, 0, 0xffff); // r2 = access_type & 0xffff: block or char
        for (int i = rules.size() - 1; i >= 0; i--) {
            Resources.DeviceRule rule = rules.get(i);
            a.startRule();
            if (!rule.type().equals("a")) {
                a.ifNotGoNextRule(JNE_IMM, R2, 0, type(rule.type()));
            }
            int access = access(rule.access());
            if (access != (ACC_MKNOD | ACC_READ | ACC_WRITE)) {
                a.op(MOV32_REG, R1, R3, 0, 0); // r1 = asked & granted: all of asked?
                a.op(AND32_IMM, R1, 0, 0, access);
                a.ifNotGoNextRule(JNE_REG, R1, R3, 0);
            }
            if (rule.major() != null && rule.major() >= 0) {
                a.ifNotGoNextRule(JNE_IMM, R4, 0, rule.major().intValue());
            }
            if (rule.minor() != null && rule.minor() >= 0) {
                a.ifNotGoNextRule(JNE_IMM, R5, 0, rule.minor().intValue());
            }
            a.op(MOV64_IMM, R0, 0, 0, rule.allow() ? 1 : 0);
            a.op(EXIT, 0, 0, 0, 0);
            if (!a.endRule()) {
                return a.bytes(); // a rule for every device: the ones before it never decide (the kernel refuses dead code)
            }
        }
        a.op(MOV64_IMM, R0, 0, 0, 0); // no rule matched: denied
        a.op(EXIT, 0, 0, 0, 0);
        return a.bytes();
    }
    // end::v2-device-program[]

    static int type(String letter) {
        return switch (letter) {
            case "b" -> DEV_BLOCK;
            case "c" -> DEV_CHAR;
            default -> throw new CgroupException("invalid device type \"" + letter + "\": want a, b or c");
        };
    }

    static int access(String letters) {
        int access = 0;
        for (char c : letters.toCharArray()) {
            access |= switch (c) {
                case 'r' -> ACC_READ;
                case 'w' -> ACC_WRITE;
                case 'm' -> ACC_MKNOD;
                default -> throw new CgroupException("invalid device access \"" + letters + "\": want letters of rwm");
            };
        }
        return access;
    }

    /** Instructions of 8 bytes, and jumps to the end of the rule being written, patched when it ends. */
    private static final class Assembler {
        private final List<long[]> insns = new ArrayList<>(); // {code, dst, src, off, imm}
        private final List<Integer> jumpsToNextRule = new ArrayList<>();

        void op(int code, int dst, int src, int off, int imm) {
            insns.add(new long[] {code, dst, src, off, imm});
        }

        void startRule() {
            jumpsToNextRule.clear();
        }

        void ifNotGoNextRule(int jne, int dst, int src, int imm) {
            jumpsToNextRule.add(insns.size());
            op(jne, dst, src, 0, imm);
        }

        /** Points the rule's jumps past it; false if it had none (it matches every device). */
        boolean endRule() {
            for (int at : jumpsToNextRule) {
                insns.get(at)[3] = insns.size() - at - 1; // skip to the first instruction after the rule
            }
            return !jumpsToNextRule.isEmpty();
        }

        byte[] bytes() {
            ByteBuffer b = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (long[] i : insns) {
                b.put((byte) i[0]).put((byte) (i[1] | i[2] << 4)).putShort((short) i[3]).putInt((int) i[4]);
            }
            return b.array();
        }
    }

    /** bpf(BPF_PROG_LOAD): the program's fd. If the kernel's verifier refuses it, its log says why. */
    private static int load(byte[] program, Path dir) {
        Memory insns = new Memory(program.length);
        insns.write(0, program, 0, program.length);
        Memory license = new Memory(1);
        license.setByte(0, (byte) 0); // it calls no GPL-only helper, so its license does not matter
        Memory log = new Memory(1 << 16);
        log.clear();
        Memory attr = new Memory(72);
        attr.clear();
        attr.setInt(0, BPF_PROG_TYPE_CGROUP_DEVICE);
        attr.setInt(4, program.length / 8);
        attr.setPointer(8, insns);
        attr.setPointer(16, license);
        attr.setInt(24, 1); // log_level: the verifier's reasons, if it refuses
        attr.setInt(28, (int) log.size());
        attr.setPointer(32, log);
        byte[] name = "jocker_devices".getBytes(StandardCharsets.US_ASCII);
        attr.write(48, name, 0, name.length);
        attr.setInt(68, BPF_CGROUP_DEVICE); // expected_attach_type
        try {
            return (int) LibC.syscall(LibC.SYS_BPF, BPF_PROG_LOAD, attr, (int) attr.size());
        } catch (LastErrorException e) {
            String reason = log.getString(0).strip();
            throw new CgroupException("cannot load the device filter of " + dir + ": " + LibC.strerror(e.getErrorCode())
                    + (reason.isEmpty() ? "" : " (verifier: " + reason.replace("\n", " / ") + ")"), e);
        }
    }

    /** bpf(BPF_PROG_ATTACH) of the program to the cgroup's directory. */
    private static void attach(int program, Path dir) {
        int cgroup;
        try {
            cgroup = LibC.open(dir.toString(), Fd.O_RDONLY | Fd.O_DIRECTORY | Fd.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new CgroupException("cannot open " + dir + ": " + LibC.strerror(e.getErrorCode()), e);
        }
        try {
            Memory attr = new Memory(32);
            attr.clear();
            attr.setInt(0, cgroup);             // target_fd
            attr.setInt(4, program);            // attach_bpf_fd
            attr.setInt(8, BPF_CGROUP_DEVICE);  // attach_type
            attr.setInt(12, BPF_F_ALLOW_MULTI); // attach_flags, as runc
            LibC.syscall(LibC.SYS_BPF, BPF_PROG_ATTACH, attr, (int) attr.size());
        } catch (LastErrorException e) {
            throw new CgroupException("cannot attach the device filter to " + dir + ": "
                    + LibC.strerror(e.getErrorCode()), e);
        } finally {
            Fd.close(cgroup);
        }
    }
}
