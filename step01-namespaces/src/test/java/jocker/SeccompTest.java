package jocker;

import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.SyscallProbe;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docker's seccomp profile, applied by run: what a probe found a container's
 * root could do without it (read the host root's user keyring, make a user
 * namespace, use io_uring) fails inside, and seccomp=unconfined lifts it.
 * A tiny static C program (SyscallProbe) makes the raw system calls.
 */
@RootTest
class SeccompTest {
    @TempDir
    static Path tmp;
    static Path rootfs;

    // x86_64 numbers and arguments
    private static final String KEYCTL_GET_USER_KEYRING = "250 0 -4 0";   // keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING)
    private static final String ADD_KEY_NULL = "248 0 0 0 0 -4";          // add_key(NULL, ...): EFAULT if it gets that far
    private static final String UNSHARE_USER = "272 0x10000000";          // unshare(CLONE_NEWUSER)
    private static final String IO_URING_SETUP_0 = "425 0 0";             // io_uring_setup(0, NULL): EFAULT if it gets that far
    private static final String PERSONALITY_READ_IMPLIES_EXEC = "135 0x0400000";
    private static final String GETPID = "39";

    @BeforeAll
    static void buildTheProbe() throws Exception {
        rootfs = TestRootfs.copy(tmp);
        SyscallProbe.buildInto(rootfs);
    }

    @AfterAll
    static void deleteTheRootfs() throws IOException {
        TestRootfs.delete(rootfs);
    }

    private static List<String> probe(String securityOpt, String... calls) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--rootfs", rootfs.toString()));
        if (securityOpt != null) {
            args.add("--security-opt");
            args.add(securityOpt);
        }
        StringBuilder script = new StringBuilder("grep Seccomp: /proc/self/status | tr -d '\\t'");
        for (String call : calls) {
            script.append("; /probe ").append(call);
        }
        args.addAll(List.of("--", "sh", "-c", script.toString()));
        Cmd.Result r = Cmd.run("jocker.cli.Main", args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r::toString);
        return r.out().lines().toList();
    }

    @Test
    void dockersProfileDeniesTheKeyringUserNamespacesIoUringAndOddPersonalities() throws IOException {
        assertEquals(List.of("Seccomp:2", "ok", "Operation not permitted", "Operation not permitted",
                        "Operation not permitted", "Operation not permitted", "Operation not permitted"),
                probe(null, GETPID, KEYCTL_GET_USER_KEYRING, ADD_KEY_NULL, UNSHARE_USER, IO_URING_SETUP_0,
                        PERSONALITY_READ_IMPLIES_EXEC));
    }

    @Test
    void unconfinedLiftsIt() throws IOException {
        assertEquals(List.of("Seccomp:0", "ok", "ok", "Bad address", "ok", "Bad address", "ok"),
                probe("seccomp=unconfined", GETPID, KEYCTL_GET_USER_KEYRING, ADD_KEY_NULL, UNSHARE_USER,
                        IO_URING_SETUP_0, PERSONALITY_READ_IMPLIES_EXEC));
    }

    @Test
    void aProfileFileReplacesTheDefault() throws IOException {
        Path profile = tmp.resolve("deny-getpid.json");
        Files.writeString(profile, """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
                              {"names": ["keyctl"], "action": "SCMP_ACT_ERRNO",
                               "args": [{"index": 1, "value": 4294967292, "op": "SCMP_CMP_EQ"}]}]}
                """);
        // -4 as an unsigned 64-bit register is 0xffff_ffff_ffff_fffc: the rule's 0xffff_fffc does not match it
        assertEquals(List.of("Seccomp:2", "Permission denied", "ok"),
                probe("seccomp=" + profile, GETPID, KEYCTL_GET_USER_KEYRING));
    }

    @Test
    void noNewPrivilegesSetsTheFlagAndKeepsTheFilter() throws IOException {
        Cmd.Result r = Cmd.run("jocker.cli.Main", "run", "--rootfs", rootfs.toString(), "--security-opt",
                "no-new-privileges", "--", "sh", "-c", "grep -E 'Seccomp:|NoNewPrivs:' /proc/self/status | tr -d '\\t'");
        assertEquals("NoNewPrivs:1\nSeccomp:2\n", r.out(), r::toString);
    }

    @Test
    void aBadSecurityOptIsOneLine() throws IOException {
        Cmd.Result r = Cmd.run("jocker.cli.Main", "run", "--rootfs", rootfs.toString(), "--security-opt",
                "apparmor=x", "--", "true");
        assertEquals(125, r.exitCode(), r::toString);
        assertEquals("step01: --security-opt apparmor=x: jocker knows seccomp=... and no-new-privileges"
                + " (no AppArmor or SELinux labels)\n", r.err());
    }
}
