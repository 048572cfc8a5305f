package jocker.testing;

import jocker.cgroups.CgroupDriver;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Fails a test that leaves a jocker cgroup it did not find (the host's past ones are not its doing). */
public final class NoCgroupLeftBehind implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoCgroupLeftBehind.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", CgroupDriver.detect().leftovers());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) {
        List<Path> now = new ArrayList<>(CgroupDriver.detect().leftovers());
        now.removeAll(context.getStore(NS).get("before", List.class));
        assertEquals(List.of(), now, "cgroups this test left");
    }
}
