package jocker.capabilities;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CapabilityTest {
    @Test
    void dockersDefaultSetIsTheMaskDockerContainersShow() {
        assertEquals(0xa80425fbL, Capability.mask(Capability.ociNames(Capability.DOCKER_DEFAULT)));
    }

    @Test
    void numbersFollowTheKernel() {
        assertEquals(21, Capability.SYS_ADMIN.ordinal());
        assertEquals(40, Capability.CHECKPOINT_RESTORE.ordinal());
    }

    @Test
    void namesParseWithOrWithoutPrefixInAnyCase() {
        assertEquals(Capability.NET_ADMIN, Capability.parse("CAP_NET_ADMIN"));
        assertEquals(Capability.NET_ADMIN, Capability.parse("net_admin"));
        assertEquals("CAP_NET_ADMIN", Capability.NET_ADMIN.ociName());
    }

    @Test
    void anUnknownNameIsQuoted() {
        assertEquals("unknown capability \"CAP_FLY\"",
                assertThrows(IllegalArgumentException.class, () -> Capability.mask(List.of("CAP_FLY"))).getMessage());
    }
}
