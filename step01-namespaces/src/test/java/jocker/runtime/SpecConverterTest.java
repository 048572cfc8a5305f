package jocker.runtime;

import jocker.namespaces.Namespace;
import jocker.spec.Spec;
import jocker.spec.SpecBuilder;
import jocker.spec.SpecException;
import jocker.spec.SpecFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecConverterTest {
    @TempDir
    Path bundle;

    private Spec dockerSpec() throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        return SpecBuilder.docker("rootfs", List.of("sh")).hostname("h").build();
    }

    /** The docker spec with its JSON edited: a quick way to make one bad field. */
    private Spec edited(String from, String to) throws IOException {
        String json = SpecFile.toJson(dockerSpec());
        assertTrue(json.contains(from), "the test edits something that is there: " + from);
        return SpecFile.parse(json.replace(from, to));
    }

    private String error(Spec spec) {
        return assertThrows(SpecException.class, () -> SpecConverter.convert(spec, bundle)).getMessage();
    }

    @Test
    void dockersSpecSplitsNamespacesBetweenHostAndInit() throws IOException {
        SpecConverter.Converted c = SpecConverter.convert(dockerSpec(), bundle);
        assertEquals(SpecConverter.DOCKER_HOST_NAMESPACES, c.hostUnshareFlags());
        assertEquals(Namespace.CGROUP.cloneFlag(), c.init().unshareFlags());
        assertEquals(bundle.resolve("rootfs").toString(), c.init().rootfs().path());
        assertEquals(0xa80425fbL, c.init().process().capabilities().effective());
        assertEquals(022, c.init().process().umask());
        assertEquals("h", c.init().hostname());
    }

    @Test
    void runcSpecConverts() throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        String json;
        try (InputStream in = getClass().getResourceAsStream("/runc-spec-config.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SpecConverter.Converted c = SpecConverter.convert(SpecFile.parse(json), bundle);
        assertEquals(SpecConverter.DOCKER_HOST_NAMESPACES, c.hostUnshareFlags(), "runc spec has no cgroup namespace");
        assertEquals(0, c.init().unshareFlags());
        assertEquals(0x20000420L, c.init().process().capabilities().bounding());
        assertEquals(List.of(new jocker.process.ProcessConfig.Limit(7, 1024, 1024)), c.init().process().rlimits());
        assertTrue(c.init().rootfs().readonly());
    }

    @Test
    void aMissingRootfsIsNamed() throws IOException {
        Files.delete(Files.createDirectories(bundle.resolve("rootfs")));
        Spec spec = SpecBuilder.docker("rootfs", List.of("sh")).build();
        assertEquals("rootfs " + bundle.resolve("rootfs") + ": no such directory", error(spec));
    }

    @Test
    void noProcess() throws IOException {
        assertEquals("the spec has no process", error(new Spec(null, null, new Spec.Root("rootfs", false), null,
                null, null, null)));
    }

    @Test
    void noRoot() {
        assertEquals("the spec has no root.path", error(SpecFile.parse("{\"process\":{\"args\":[\"sh\"]}}")));
    }

    @Test
    void emptyArgs() throws IOException {
        assertEquals("process.args is empty: no command to run", error(edited("\"args\" : [ \"sh\" ]", "\"args\" : [ ]")));
    }

    @Test
    void relativeCwd() throws IOException {
        assertEquals("process.cwd \"tmp\" is not an absolute path", error(edited("\"cwd\" : \"/\"", "\"cwd\" : \"tmp\"")));
    }

    @Test
    void envWithoutEquals() throws IOException {
        assertEquals("process.env entry \"JUNK\" is not KEY=VALUE", error(edited("\"HOSTNAME=h\"", "\"JUNK\"")));
    }

    @Test
    void unknownNamespace() throws IOException {
        assertTrue(error(edited("\"type\" : \"uts\"", "\"type\" : \"time\"")).startsWith("unknown namespace type \"time\""));
    }

    @Test
    void duplicateNamespace() throws IOException {
        assertEquals("namespace pid is listed twice", error(edited("\"type\" : \"uts\"", "\"type\" : \"pid\"")));
    }

    @Test
    void userNamespaceWithoutMaps() throws IOException {
        assertEquals("a user namespace needs linux.uidMappings and linux.gidMappings",
                error(edited("\"type\" : \"cgroup\"", "\"type\" : \"user\"")));
    }

    @Test
    void noMountNamespaceWithMaskedPaths() throws IOException {
        assertEquals("cannot apply linux.maskedPaths and readonlyPaths without a mount namespace of the container's own"
                + " (linux.namespaces needs {\"type\": \"mount\"})",
                error(edited("{\n      \"type\" : \"mount\"\n    }, ", "")));
    }

    @Test
    void hostnameWithoutUtsNamespace() throws IOException {
        assertEquals("hostname \"h\" needs a new uts namespace",
                error(edited("{\n      \"type\" : \"uts\"\n    }, ", "")));
    }

    @Test
    void aMountNamespaceToJoinIsJoinedLast() throws IOException {
        Spec spec = edited("\"type\" : \"mount\"", "\"type\" : \"mount\", \"path\": \"/proc/self/ns/mnt\"");
        SpecConverter.Converted c = SpecConverter.convert(spec, bundle);
        assertEquals(new SpecConverter.Join(Namespace.MOUNT, "/proc/self/ns/mnt"), c.joins().get(c.joins().size() - 1),
                "joined last, after the paths of the others were read in the host's namespace");
        assertFalse(c.creates(Namespace.MOUNT), "the host creates no new one");
    }

    @Test
    void aNamespacePathMustExist() throws IOException {
        assertEquals("namespace path /no/such: no such file",
                error(edited("\"type\" : \"network\"", "\"type\" : \"network\", \"path\": \"/no/such\"")));
    }

    @Test
    void aJoinedNamespaceIsNotCreated() throws IOException {
        SpecConverter.Converted c = SpecConverter.convert(
                edited("\"type\" : \"network\"", "\"type\" : \"network\", \"path\": \"/proc/self/ns/net\""), bundle);
        assertEquals(List.of(new SpecConverter.Join(Namespace.NETWORK, "/proc/self/ns/net")), c.joins());
        assertEquals(0, c.hostUnshareFlags() & Namespace.NETWORK.cloneFlag());
    }

    @Test
    void relativeMountDestination() throws IOException {
        assertEquals("mount destination \"proc\" is not an absolute path",
                error(edited("\"destination\" : \"/proc\"", "\"destination\" : \"proc\"")));
    }

    @Test
    void mountWithoutType() throws IOException {
        assertEquals("mount on /proc has no type", error(edited("\"type\" : \"proc\"", "\"type\" : \"\"")));
    }

    @Test
    void bindMountWithoutSource() throws IOException {
        assertEquals("bind mount on /proc has no source",
                error(edited("\"type\" : \"proc\",\n    \"source\" : \"proc\"", "\"type\" : \"bind\"")));
    }

    @Test
    void bindMountWithMissingSource() throws IOException {
        assertEquals("bind mount source " + bundle.resolve("nothing") + ": no such file or directory",
                error(edited("\"type\" : \"proc\",\n    \"source\" : \"proc\"", "\"type\" : \"bind\", \"source\": \"nothing\"")));
    }

    @Test
    void bindMountSourceIsRelativeToTheBundle() throws IOException {
        Files.createDirectories(bundle.resolve("data"));
        SpecConverter.Converted c = SpecConverter.convert(
                edited("\"type\" : \"proc\",\n    \"source\" : \"proc\"", "\"type\" : \"bind\", \"source\": \"data\""), bundle);
        assertEquals(bundle.resolve("data").toString(), c.init().rootfs().mounts().get(0).source());
    }

    @Test
    void unknownCapability() throws IOException {
        assertEquals("unknown capability \"CAP_FLY\"", error(edited("\"CAP_KILL\"", "\"CAP_FLY\"")));
    }

    @Test
    void maskedPathsMustBeAbsolute() throws IOException {
        assertEquals("linux.maskedPaths entry \"proc/keys\" is not an absolute path",
                error(edited("\"/proc/keys\"", "\"proc/keys\"")));
    }

    @Test
    void negativeIds() throws IOException {
        assertEquals("process.user uid -1 gid 0: ids cannot be negative",
                error(edited("\"uid\" : 0", "\"uid\" : -1")));
    }

    private Spec withRlimit(String rlimit) throws IOException {
        return edited("\"noNewPrivileges\"", "\"rlimits\": [" + rlimit + "], \"noNewPrivileges\"");
    }

    @Test
    void unknownRlimit() throws IOException {
        assertEquals("unknown rlimit type \"RLIMIT_FUN\"",
                error(withRlimit("{\"type\": \"RLIMIT_FUN\", \"soft\": 1, \"hard\": 1}")));
    }

    @Test
    void softAboveHard() throws IOException {
        assertEquals("RLIMIT_NOFILE: soft limit 10 is above the hard limit 5",
                error(withRlimit("{\"type\": \"RLIMIT_NOFILE\", \"soft\": 10, \"hard\": 5}")));
    }

    @Test
    void hardAboveTheHostsHardLimit() throws IOException {
        long hostHard = jocker.process.Rlimit.RLIMIT_NOFILE.current()[1];
        long asked = hostHard + 1;
        assertEquals("RLIMIT_NOFILE: hard limit " + asked + " is above this host's hard limit " + hostHard,
                error(withRlimit("{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1, \"hard\": " + asked + "}")));
    }

    @Test
    void aMountOnSlashIsTheRootFilesystem() throws IOException {
        SpecConverter.Converted c = SpecConverter.convert(edited("\"mounts\" : [ {",
                "\"mounts\" : [ {\"destination\": \"/\", \"type\": \"overlay\", \"source\": \"overlay\","
                        + " \"options\": [\"lowerdir=l/A:l/B\"]}, {"), bundle);
        assertEquals(new jocker.mounts.RootfsConfig.Entry("overlay", "/", "overlay", 0, 0, "lowerdir=l/A:l/B"),
                c.init().rootfs().rootMount());
        assertEquals(bundle.toAbsolutePath().toString(), c.init().rootfs().bundle());
        assertTrue(c.init().rootfs().mounts().stream().noneMatch(m -> m.destination().equals("/")));
    }

    @Test
    void onlyOneMountCanBeTheRoot() throws IOException {
        String slash = "{\"destination\": \"/\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}, ";
        assertEquals("two mounts have destination \"/\": only one can be the root filesystem",
                error(edited("\"mounts\" : [ {", "\"mounts\" : [ " + slash + slash + "{")));
    }
}
