package jocker.process;

import jocker.capabilities.CapabilitySets;

import java.util.List;

/**
 * The container's process as the init stage receives it: what to execve,
 * with which environment and working directory, and with which credentials,
 * capabilities and resource limits. Everything is numeric by now: user names
 * and capability names were resolved on the host.
 */
public record ProcessConfig(
        List<String> args,
        List<String> env,
        String cwd,
        int uid,
        int gid,
        List<Integer> additionalGids,
        int umask,
        CapabilitySets capabilities,
        boolean noNewPrivileges,
        List<Limit> rlimits) {

    public ProcessConfig {
        args = List.copyOf(args);
        env = List.copyOf(env);
        additionalGids = List.copyOf(additionalGids);
        rlimits = List.copyOf(rlimits);
    }

    /** A setrlimit(2) call: resource number and {soft, hard}. */
    public record Limit(int resource, long soft, long hard) {
    }

    /** The value of PATH in env, or null. */
    public String pathVariable() {
        for (String e : env) {
            if (e.startsWith("PATH=")) {
                return e.substring(5);
            }
        }
        return null;
    }
}
