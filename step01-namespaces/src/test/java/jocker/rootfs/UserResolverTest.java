package jocker.rootfs;

import jocker.spec.Spec;
import jocker.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UserResolverTest {
    @TempDir
    Path rootfs;

    private UserResolver.ResolvedUser resolve(String user) throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                # a comment
                app:x:1000:1000:App:/home/app:/bin/sh
                broken line
                nohome:x:1001:1001:::/bin/sh
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                wheel:x:10:root,app
                app:x:1000:
                audio:x:29: app , other
                users:x:100:
                """);
        return UserResolver.resolve(rootfs, user);
    }

    @Test
    void aNameBringsItsGroupHomeAndSupplementaryGroups() throws IOException {
        assertEquals(new UserResolver.ResolvedUser(new Spec.User(1000, 1000, null, List.of(1000, 10, 29)), "/home/app"),
                resolve("app"));
    }

    @Test
    void aKnownUidIsLikeItsName() throws IOException {
        assertEquals(resolve("app"), resolve("1000"));
    }

    @Test
    void anUnknownUidRunsWithGidZeroAndHomeSlash() throws IOException {
        assertEquals(new UserResolver.ResolvedUser(new Spec.User(4242, 0, null, List.of(0)), "/"), resolve("4242"));
    }

    @Test
    void aGivenGroupReplacesTheSupplementaryGroups() throws IOException {
        assertEquals(new Spec.User(1000, 100, null, List.of(100)), resolve("app:users").user());
        assertEquals(new Spec.User(1000, 7, null, List.of(7)), resolve("app:7").user());
        assertEquals(new Spec.User(4242, 4343, null, List.of(4343)), resolve("4242:4343").user());
    }

    @Test
    void anEmptyHomeIsSlash() throws IOException {
        assertEquals("/", resolve("nohome").home());
    }

    @Test
    void unknownNamesAreErrors() {
        assertEquals("unable to find user nobody: no matching entries in passwd file",
                assertThrows(SpecException.class, () -> resolve("nobody")).getMessage());
        assertEquals("unable to find group staff: no matching entries in group file",
                assertThrows(SpecException.class, () -> resolve("app:staff")).getMessage());
    }

    @Test
    void emptyPartsAreErrors() {
        assertEquals("invalid user \":1\": empty user", assertThrows(SpecException.class, () -> resolve(":1")).getMessage());
        assertEquals("invalid user \"app:\": empty group", assertThrows(SpecException.class, () -> resolve("app:")).getMessage());
    }

    @Test
    void hugeIdsAreErrors() {
        assertEquals("id 99999999999 is out of range",
                assertThrows(SpecException.class, () -> resolve("99999999999")).getMessage());
    }

    @Test
    void aRootfsWithoutPasswdStillTakesNumbers() {
        assertEquals(new Spec.User(5, 6, null, List.of(6)), UserResolver.resolve(rootfs, "5:6").user());
    }

    @Test
    void passwdIsReadInsideTheRootfsEvenThroughASymlink() throws IOException {
        Path host = Files.createTempFile("host-passwd", "");
        try {
            Files.writeString(host, "evil:x:0:0::/:/bin/sh\n");
            Files.createDirectories(rootfs.resolve("etc"));
            Files.createSymbolicLink(rootfs.resolve("etc/passwd"), host);
            // the symlink points at a host path; inside the rootfs that path does not exist
            assertEquals("unable to find user evil: no matching entries in passwd file",
                    assertThrows(SpecException.class, () -> UserResolver.resolve(rootfs, "evil")).getMessage());
        } finally {
            Files.delete(host);
        }
    }
}
