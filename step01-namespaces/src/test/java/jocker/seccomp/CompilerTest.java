package jocker.seccomp;

import jocker.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compiled programs, run by a small classic-BPF interpreter on made-up system calls. */
class CompilerTest {
    private static final int X86_64 = 0xC000003E;
    private static final int I386 = 0x40000003;
    private static final int ALLOW = Compiler.RET_ALLOW;
    private static final int EPERM = Compiler.RET_ERRNO | 1;

    /** Runs program on struct seccomp_data {nr, arch, ip, args[6]}; returns the action. */
    static int run(byte[] program, int arch, int nr, long... args) {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch);
        for (int i = 0; i < args.length; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        int a = 0;
        int pc = 0;
        while (true) {
            int op = code.getShort(pc * 8) & 0xffff;
            int jt = code.get(pc * 8 + 2) & 0xff;
            int jf = code.get(pc * 8 + 3) & 0xff;
            int k = code.getInt(pc * 8 + 4);
            pc++;
            switch (op) {
                case 0x20 -> a = data.getInt(k);
                case 0x54 -> a &= k;
                case 0x06 -> {
                    return k;
                }
                case 0x15 -> pc += a == k ? jt : jf;
                case 0x25 -> pc += Integer.compareUnsigned(a, k) > 0 ? jt : jf;
                case 0x35 -> pc += Integer.compareUnsigned(a, k) >= 0 ? jt : jf;
                default -> throw new AssertionError("unexpected opcode " + op);
            }
        }
    }

    private static byte[] compile(String json) {
        return Compiler.compile(Profile.of(Profile.read(new java.io.ByteArrayInputStream(json.getBytes()), "test")),
                List.of("CAP_CHOWN"));
    }

    @Test
    void namedCallsGetTheirActionAndTheRestTheDefault() {
        byte[] p = compile("""
                {"defaultAction": "SCMP_ACT_ERRNO",
                 "syscalls": [{"names": ["read", "write", "no_such_call_on_x86_64", "mmap2"], "action": "SCMP_ACT_ALLOW"},
                              {"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}
                """);
        assertEquals(ALLOW, run(p, X86_64, 0));
        assertEquals(ALLOW, run(p, X86_64, 1));
        assertEquals(Compiler.RET_ERRNO | 38, run(p, X86_64, 39));
        assertEquals(EPERM, run(p, X86_64, 2));
        assertEquals(EPERM, run(p, X86_64, 0x40000000), "an x32 read is not a read");
        assertEquals(EPERM, run(p, I386, 3), "another architecture's numbers mean other calls");
    }

    @Test
    void argumentConditionsCompareAll64Bits() {
        long big = 0x1_0000_0005L;
        String rule = "{\"names\": [\"%s\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": %d, \"value\": %d, \"valueTwo\": %d, \"op\": \"%s\"}]}";
        byte[] p = compile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
                + String.format(rule, "read", 0, big, 0, "SCMP_CMP_EQ") + ","
                + String.format(rule, "write", 1, big, 0, "SCMP_CMP_NE") + ","
                + String.format(rule, "open", 2, big, 0, "SCMP_CMP_GT") + ","
                + String.format(rule, "close", 3, big, 0, "SCMP_CMP_GE") + ","
                + String.format(rule, "stat", 4, big, 0, "SCMP_CMP_LT") + ","
                + String.format(rule, "fstat", 5, big, 0, "SCMP_CMP_LE") + ","
                + String.format(rule, "clone", 0, 0x7E020000L, 0, "SCMP_CMP_MASKED_EQ") + "]}");
        assertEquals(ALLOW, run(p, X86_64, 0, big));
        assertEquals(EPERM, run(p, X86_64, 0, 5), "same low word, other high word");
        assertEquals(ALLOW, run(p, X86_64, 1, 0, 5));
        assertEquals(EPERM, run(p, X86_64, 1, 0, big));
        assertEquals(ALLOW, run(p, X86_64, 2, 0, 0, 0x2_0000_0000L));
        assertEquals(ALLOW, run(p, X86_64, 2, 0, 0, big + 1));
        assertEquals(EPERM, run(p, X86_64, 2, 0, 0, big));
        assertEquals(EPERM, run(p, X86_64, 2, 0, 0, 0xFFFF_FFFFL), "a larger low word under a smaller high word");
        assertEquals(ALLOW, run(p, X86_64, 3, 0, 0, 0, big));
        assertEquals(EPERM, run(p, X86_64, 3, 0, 0, 0, big - 1));
        assertEquals(ALLOW, run(p, X86_64, 4, 0, 0, 0, 0, 0xFFFF_FFFFL));
        assertEquals(EPERM, run(p, X86_64, 4, 0, 0, 0, 0, big));
        assertEquals(EPERM, run(p, X86_64, 4, 0, 0, 0, 0, -1L), "unsigned: -1 is the largest value");
        assertEquals(ALLOW, run(p, X86_64, 5, 0, 0, 0, 0, 0, big));
        assertEquals(EPERM, run(p, X86_64, 5, 0, 0, 0, 0, 0, big + 1));
        assertEquals(ALLOW, run(p, X86_64, 56, 0x11L), "clone without namespace flags");
        assertEquals(EPERM, run(p, X86_64, 56, 0x10000000L), "clone(CLONE_NEWUSER)");
    }

    @Test
    void dockersDefaultProfile() {
        byte[] p = Compiler.compile(Profile.of(Profile.dockerDefault()), List.of());
        assertTrue(p.length / 8 < 4096, "instructions: " + p.length / 8);
        assertEquals(ALLOW, run(p, X86_64, 0));            // read
        assertEquals(ALLOW, run(p, X86_64, 59));           // execve
        assertEquals(EPERM, run(p, X86_64, 250));          // keyctl
        assertEquals(EPERM, run(p, X86_64, 248));          // add_key
        assertEquals(EPERM, run(p, X86_64, 272));          // unshare
        assertEquals(EPERM, run(p, X86_64, 425));          // io_uring_setup
        assertEquals(Compiler.RET_ERRNO | 38, run(p, X86_64, 435), "clone3: ENOSYS, so libc falls back to clone");
        assertEquals(ALLOW, run(p, X86_64, 135, 0));       // personality(PER_LINUX)
        assertEquals(EPERM, run(p, X86_64, 135, 0x0400000)); // personality(READ_IMPLIES_EXEC)
        assertEquals(ALLOW, run(p, X86_64, 56, 0x01200011L)); // clone as fork() calls it
        assertEquals(EPERM, run(p, X86_64, 56, 0x10000000L)); // clone(CLONE_NEWUSER)
    }

    @Test
    void dockerProfileFilesGrantCallsByCapability() {
        String json = """
                {"defaultAction": "SCMP_ACT_ERRNO",
                 "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                              {"names": ["chown"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_CHOWN"]}},
                              {"names": ["getpid"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_CHOWN"]}}]}
                """;
        byte[] p = compile(json); // with CAP_CHOWN only
        assertEquals(EPERM, run(p, X86_64, 165));
        assertEquals(ALLOW, run(p, X86_64, 92));
        assertEquals(EPERM, run(p, X86_64, 39));
    }

    @Test
    void whatCannotBeAppliedIsRefusedByName() {
        SpecException action = assertThrows(SpecException.class,
                () -> compile("{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}"));
        assertEquals("linux.seccomp.defaultAction: unknown or unsupported action \"SCMP_ACT_NOTIFY\"", action.getMessage());
        SpecException op = assertThrows(SpecException.class, () -> compile("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_ABOUT"}]}]}
                """));
        assertEquals("linux.seccomp: unknown argument operator \"SCMP_CMP_ABOUT\"", op.getMessage());
        SpecException flag = assertThrows(SpecException.class,
                () -> compile("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_TSYNC\"]}"));
        assertEquals("linux.seccomp.flags: SECCOMP_FILTER_FLAG_TSYNC is not supported by jocker", flag.getMessage());
    }
}
