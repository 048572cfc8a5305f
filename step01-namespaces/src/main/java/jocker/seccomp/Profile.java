package jocker.seccomp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jocker.spec.SpecException;
import jocker.sys.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * A seccomp profile as the OCI spec's linux.seccomp has it (and as docker's
 * profile files have it, with their "includes"/"excludes" conditions): a
 * default action, and rules that give some system calls, maybe only with
 * some argument values, another action.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Profile(String defaultAction, Integer defaultErrnoRet, List<String> architectures, List<String> flags,
                      List<Rule> syscalls, String listenerPath) {

    public Profile {
        architectures = architectures == null ? List.of() : List.copyOf(architectures);
        flags = flags == null ? List.of() : List.copyOf(flags);
        syscalls = syscalls == null ? List.of() : List.copyOf(syscalls);
    }

    /** One rule: these names, with all of these argument conditions, get this action. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rule(List<String> names, String name, String action, Integer errnoRet, List<Arg> args,
                       Filter includes, Filter excludes) {
        public Rule {
            names = names == null ? (name == null ? List.of() : List.of(name)) : List.copyOf(names);
            args = args == null ? List.of() : List.copyOf(args);
        }
    }

    /** A condition on argument index: op is SCMP_CMP_EQ, NE, LT, LE, GT, GE or MASKED_EQ (value is the mask). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Arg(int index, long value, long valueTwo, String op) {
    }

    /** docker's profile files only: a rule applies when the container has these capabilities / arches. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Filter(List<String> caps, List<String> arches) {
    }


    /** The profile in a spec's linux.seccomp (JSON-like maps). */
    public static Profile of(Object section) {
        try {
            return Json.MAPPER.convertValue(section, Profile.class);
        } catch (IllegalArgumentException e) {
            throw new SpecException("linux.seccomp: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** The profile as JSON-like maps, to put in a spec. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(InputStream json, String what) {
        try {
            return Json.MAPPER.readValue(json, Map.class);
        } catch (IOException e) {
            throw new SpecException("seccomp profile " + what + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    // tag::docker-default[]
    /**
     * docker's default profile: moby's profiles/seccomp/default.json as
     * dockerd 20.10 hands it to the runtime for a container with the default
     * capabilities on x86_64 (taken from the config.json it wrote here), less
     * io_uring_setup, io_uring_enter and io_uring_register, which moby itself
     * removed from its default in 2023 (io_uring bypasses the filter: its
     * operations are not system calls). It denies about 50 system calls out
     * of 360, among them the keyring (add_key, keyctl), new user namespaces
     * (unshare, clone with CLONE_NEWUSER), mount, bpf, and personality's odd
     * flags.
     */
    public static Map<String, Object> dockerDefault() {
        try (InputStream in = Profile.class.getResourceAsStream("/jocker/seccomp/docker-default.json")) {
            return read(in, "docker-default.json");
        } catch (IOException e) {
            throw new IllegalStateException("the built-in seccomp profile is missing", e);
        }
    }
    // end::docker-default[]
}
