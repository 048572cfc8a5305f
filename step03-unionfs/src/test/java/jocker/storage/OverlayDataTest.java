package jocker.storage;

import jocker.layers.LayerStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverlayDataTest {
    @Test
    void lowerdirListsTheTopLayerFirstByShortLink() {
        List<LayerStore.Layer> stack = List.of(new LayerStore.Layer("bottom", Path.of("/b"), "BBBBBBBBBB"),
                new LayerStore.Layer("top", Path.of("/t"), "TTTTTTTTTT"));
        assertEquals("lowerdir=l/TTTTTTTTTT:l/BBBBBBBBBB,upperdir=/c/upper,workdir=/c/work",
                OverlayDriver.data(Path.of("/c"), stack));
    }

    @Test
    void aHundredAndTwentyEightLayersFitInOnePage() {
        List<LayerStore.Layer> stack = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            stack.add(new LayerStore.Layer("id" + i, Path.of("/x"), "ABCDEFGHIJ"));
        }
        Path deep = Path.of("/var/lib/jocker/containers/" + "0".repeat(64));
        assertTrue(OverlayDriver.data(deep, stack).length() < 4096);
    }
}
