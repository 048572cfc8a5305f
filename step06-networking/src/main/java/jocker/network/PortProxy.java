package jocker.network;

import jocker.sys.JockerException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

// tag::proxy[]
/**
 * docker-proxy's role, as threads of the run: it holds the published port
 * on the host (so nothing else can take it, and a second -p of it fails at
 * once), and relays what DNAT cannot reach: connections to 127.0.0.1, which
 * the kernel never routes out of the host, and those from containers to the
 * host's address, which come in through the bridge itself.
 */
public final class PortProxy implements AutoCloseable {
    /** the relays' threads, kept for the next connections (daemon threads: they end with the run) */
    private static final ExecutorService RELAYS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "proxy-relay");
        t.setDaemon(true);
        return t;
    });
    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final InetSocketAddress target;

    private PortProxy(ServerSocket tcp, DatagramSocket udp, InetSocketAddress target) {
        this.tcp = tcp;
        this.udp = udp;
        this.target = target;
    }

    /**
     * Binds HOSTIP:PORT (port 0: one the kernel picks), trying a range's
     * ports in turn; docker's error when none is free.
     */
    public static PortProxy bind(String proto, String hostIp, int first, int last) {
        for (int port = first; port <= Math.max(first, last); port++) {
            try {
                InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(hostIp), port);
                if (proto.equals("udp")) {
                    DatagramSocket s = new DatagramSocket(null);
                    s.setReuseAddress(true);
                    s.bind(at);
                    return new PortProxy(null, s, null);
                }
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(at, 128);
                return new PortProxy(s, null, null);
            } catch (BindException e) {
                if (port >= last) {
                    throw new JockerException("Bind for " + hostIp + ":" + port + " failed: port is already allocated");
                }
            } catch (IOException e) {
                throw new JockerException("Bind for " + hostIp + ":" + port + " failed: " + e.getMessage());
            }
        }
        throw new IllegalStateException();
    }

    public int port() {
        return tcp != null ? tcp.getLocalPort() : udp.getLocalPort();
    }

    /** Starts relaying to the container's address (daemon threads: they end with the run). */
    public PortProxy start(String containerIp, int containerPort) {
        PortProxy p = new PortProxy(tcp, udp, new InetSocketAddress(containerIp, containerPort));
        Thread t = new Thread(tcp != null ? p::acceptLoop : p::udpLoop, "proxy-" + port());
        t.setDaemon(true);
        t.start();
        return p;
    }

    private void acceptLoop() {
        while (!tcp.isClosed()) {
            try {
                Socket client = tcp.accept();
                RELAYS.execute(() -> relay(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** One connection: to the container, then bytes both ways until either side closes. */
    private void relay(Socket client) {
        try (client; Socket upstream = new Socket()) {
            upstream.connect(target, 5000);
            client.setTcpNoDelay(true); // a relay must not hold back small writes (Nagle) that the ends sent at once
            upstream.setTcpNoDelay(true);
            Future<?> back = RELAYS.submit(() -> pipe(upstream, client));
            pipe(client, upstream);
            back.get();
        } catch (IOException | InterruptedException | ExecutionException e) {
            // the container is not listening, or a side went away: the client sees the close
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[32 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
            to.shutdownOutput(); // half-close: the other way may still have bytes to send
        } catch (IOException e) {
            // reset or closed
        }
    }
    // end::proxy[]

    /** UDP: one socket to the container per client address, answers sent back from the published port. */
    private void udpLoop() {
        Map<SocketAddress, DatagramSocket> clients = new ConcurrentHashMap<>();
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                SocketAddress from = p.getSocketAddress();
                DatagramSocket up = clients.get(from);
                if (up == null) {
                    DatagramSocket made = new DatagramSocket();
                    made.connect(target);
                    clients.put(from, made);
                    up = made;
                    Thread t = new Thread(() -> udpBack(made, from), "proxy-udp");
                    t.setDaemon(true);
                    t.start();
                }
                up.send(new DatagramPacket(p.getData(), p.getLength()));
            } catch (IOException e) {
                if (udp.isClosed()) {
                    clients.values().forEach(DatagramSocket::close);
                    return;
                }
            }
        }
    }

    private void udpBack(DatagramSocket up, SocketAddress client) {
        byte[] buf = new byte[65535];
        while (!up.isClosed() && !udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                up.receive(p);
                udp.send(new DatagramPacket(p.getData(), p.getLength(), client));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            if (tcp != null) {
                tcp.close();
            }
            if (udp != null) {
                udp.close();
            }
        } catch (IOException e) {
            // closing
        }
    }

    /** Closes them all. */
    public static void closeAll(List<PortProxy> proxies) {
        proxies.forEach(PortProxy::close);
    }
}
