package jocker.seccomp;

import jocker.spec.SpecException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * System call numbers by name, for x86_64 (the numbers differ per
 * architecture; a seccomp filter sees only the number). Read from a table
 * made from the kernel's uapi header.
 */
final class Syscalls {
    private Syscalls() {}

    /** struct seccomp_data.arch for x86_64 (AUDIT_ARCH_X86_64, linux/audit.h). */
    static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    /** x32 system calls come with this bit set on x86_64's own arch value. */
    static final int X32_SYSCALL_BIT = 0x40000000;

    private static Map<String, Integer> table;

    /** The number of a system call on x86_64, or null if x86_64 has no such call (an i386 name ...). */
    static synchronized Integer number(String name) {
        if (table == null) {
            table = load();
        }
        return table.get(name);
    }

    static void requireX8664() {
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            throw new SpecException("linux.seccomp: jocker knows the system call numbers of x86_64 only,"
                    + " not of " + arch + " (use --security-opt seccomp=unconfined)");
        }
    }

    private static Map<String, Integer> load() {
        Map<String, Integer> t = new HashMap<>();
        try (InputStream in = Syscalls.class.getResourceAsStream("/jocker/seccomp/syscalls-x86_64.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] parts = line.trim().split(" ");
                    t.put(parts[0], Integer.parseInt(parts[1]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the system call table", e);
        }
        return t;
    }
}
