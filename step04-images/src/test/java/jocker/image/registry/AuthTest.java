package jocker.image.registry;

import jocker.storage.TarExport;
import jocker.testing.Cmd;
import jocker.testing.LocalRegistry;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static jocker.testing.Step04Cli.ok;
import static jocker.testing.Step04Cli.step04;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A registry with htpasswd (Basic) authentication: login, push, pull, logout. */
@RootTest
class AuthTest {
    @TempDir
    Path tmp;

    @Test
    void credentialsAreCheckedStoredPrivatelyUsedAndForgotten() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")), "jane", "s3cret")) {
            Path root = tmp.resolve("root");
            Path tar = tmp.resolve("busybox.tar");
            try (OutputStream out = Files.newOutputStream(tar)) {
                TarExport.write(TestRootfs.busybox(), out);
            }
            String ref = registry.host() + "/private/app:1";
            ok(step04(root, "import", tar.toString(), ref));

            Cmd.Result anonymous = step04(root, "push", ref);
            assertEquals(125, anonymous.exitCode());
            assertEquals("step04: unauthorized: " + registry.host() + " wants a user and password: log in first\n", anonymous.err());

            Cmd.Result wrong = step04(root, "login", "-u", "jane", "-p", "wrong", registry.host());
            assertEquals(125, wrong.exitCode(), wrong::toString);
            assertTrue(wrong.err().startsWith("step04: unauthorized: "), wrong::toString);
            assertFalse(Files.exists(root.resolve("auth.json")), "nothing stored for bad credentials");

            assertEquals("Login Succeeded\n", ok(step04(root, "login", "-u", "jane", "-p", "s3cret", registry.host())).out());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("auth.json"))));
            assertFalse(Files.readString(root.resolve("auth.json")).contains("s3cret"), "not in clear (base64, as docker)");

            ok(step04(root, "push", ref));
            Path other = tmp.resolve("other");
            assertEquals(125, step04(other, "pull", ref).exitCode(), "another data root has no credentials");
            ok(step04(root, "rmi", ref));
            ok(step04(root, "pull", ref));

            assertEquals("Removing login credentials for " + registry.host() + "\n", ok(step04(root, "logout", registry.host())).out());
            assertEquals(125, step04(root, "pull", ref).exitCode());
            TestRootfs.delete(root);
        }
    }
}
