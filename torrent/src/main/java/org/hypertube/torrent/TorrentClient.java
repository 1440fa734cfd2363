package org.hypertube.torrent;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.hypertube.torrent.peer.Handshake;
import org.hypertube.torrent.storage.ResumeData;
import org.hypertube.torrent.storage.SavedMetadata;
import org.hypertube.torrent.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's entry point: listens for peers, runs torrents, shares limits and the hashing pool.
 * Configure with {@link #builder()}; immutable after {@link Builder#build()}; close when done.
 *
 * <pre>{@code
 * try (TorrentClient client = TorrentClient.builder().downloadDirectory(dir).port(0).build()) {
 *     Torrent t = client.add(Magnet.parse(link));
 *     t.awaitCompletion(Duration.ofMinutes(10));
 * }
 * }</pre>
 */
public final class TorrentClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TorrentClient.class);
    static final String CLIENT_NAME = "Hypertube 0.1";
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** Read buffer of a peer connection: one read system call brings up to this much. */
    private static final int PEER_BUFFER = 256 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final Path downloadDirectory;
    private final boolean folderPerTorrent;
    private final InetAddress bindAddress;
    private final Clock clock;
    private final int maxConnections;
    private final int maxConnectionsPerTorrent;
    private final int uploadSlots;
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private final Duration trackerTimeout;
    private final Duration minAnnounceInterval;
    private final long tickMillis;
    private final byte[] peerId;
    private final int announceKey;
    private final RateLimiter downloadLimiter;
    private final OutsideAddressPolicy addressPolicy;
    private final RateLimiter uploadLimiter;
    private final Semaphore halfOpen;
    private final Consumer<TorrentEvent> listener;
    private final ServerSocket server;
    /** Our DHT node, shared by every torrent; null unless {@link Builder#dht} was called. */
    private final org.hypertube.torrent.dht.DhtNode dht;
    private final List<InetSocketAddress> dhtBootstrap;
    /** The DHT socket's port (the socket's address is gone once closed); 0 when off. */
    private final int dhtUdpPort;
    private final Map<InfoHash, TorrentSession> torrents = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean memoryWarned = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicInteger connections = new AtomicInteger();
    private final ExecutorService hashPool;
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "torrent-events");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;
    /** The totals of torrents removed from this client (guarded by {@code this}). */
    private EngineStats.Totals retired = EngineStats.Totals.NONE;

    private TorrentClient(Builder b) throws IOException {
        this.downloadDirectory = b.downloadDirectory.toAbsolutePath().normalize();
        this.folderPerTorrent = b.folderPerTorrent;
        this.bindAddress = b.bindAddress;
        this.clock = b.clock;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerTorrent = b.maxConnectionsPerTorrent;
        this.uploadSlots = b.uploadSlots;
        this.requestTimeout = b.requestTimeout;
        this.idleTimeout = b.idleTimeout;
        this.trackerTimeout = b.trackerTimeout;
        this.minAnnounceInterval = b.minAnnounceInterval;
        this.tickMillis = b.tickMillis;
        this.listener = b.listener;
        this.downloadLimiter = new RateLimiter(b.downloadRateLimit);
        this.addressPolicy = b.addressPolicy;
        this.uploadLimiter = new RateLimiter(b.uploadRateLimit);
        this.halfOpen = new Semaphore(b.maxHalfOpen);
        SecureRandom random = new SecureRandom();
        // Azureus-style id: -HT0001- and 12 random printable characters.
        byte[] id = "-HT0001-".getBytes();
        this.peerId = Arrays.copyOf(id, 20);
        String chars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (int i = 8; i < 20; i++) {
            peerId[i] = (byte) chars.charAt(random.nextInt(chars.length()));
        }
        this.announceKey = random.nextInt();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.hashPool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "piece-hash");
            t.setDaemon(true);
            return t;
        });
        // Channel-backed: accepted sockets have channels, which peer connections read from (see PeerInput).
        this.server = java.nio.channels.ServerSocketChannel.open().socket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bindAddress, b.port), 128);
        this.dhtBootstrap = b.dhtBootstrap;
        this.dht = b.dhtPort >= 0 ? openDht(b.dhtPort) : null;
        this.dhtUdpPort = dht == null ? 0 : dht.localAddress().getPort();
        if (dht != null) {
            log.info("DHT node {} on UDP {}; bootstrapping from {}", dht.id(), dht.localAddress(), dhtBootstrap);
            dht.bootstrap(dhtBootstrap);
        }
        Thread.ofVirtual().name("accept").start(this::acceptLoop);
        log.info("listening for peers on {}:{}", bindAddress.getHostAddress(), server.getLocalPort());
    }

    /**
     * Our DHT node on {@code port}, or null when it cannot be had (the UDP port taken, the id file
     * unwritable): the DHT is one more source of peers, so the client runs on without it, and says so.
     */
    private org.hypertube.torrent.dht.DhtNode openDht(int port) {
        try {
            // Kept with the resume data, so a restart keeps its id and rejoins through the nodes it knew.
            Path state = downloadDirectory.resolve(".hypertube");
            return org.hypertube.torrent.dht.DhtNode.builder()
                    .bind(new InetSocketAddress(bindAddress, port)).clock(clock)
                    .idFile(state.resolve("dht-id")).nodesFile(state.resolve("dht-nodes")).open();
        } catch (IOException | RuntimeException e) {
            // A RuntimeException too (a socket option or address the platform refuses): the TCP server socket
            // is bound already, so leaving the constructor here would strand it.
            log.warn("DHT off: cannot open UDP {}:{}: {}", bindAddress.getHostAddress(), port, e.toString());
            return null;
        }
    }

    /** The DHT node's UDP address, if the DHT is on. */
    public Optional<InetSocketAddress> dhtAddress() {
        return Optional.ofNullable(dht).map(org.hypertube.torrent.dht.DhtNode::localAddress);
    }

    /** The number of nodes in the DHT's routing table, or empty when the DHT is off. */
    public OptionalInt dhtNodes() {
        return dht == null ? OptionalInt.empty() : OptionalInt.of(dht.routingTableSize());
    }

    /** Our DHT node's UDP port, for {@code PORT} messages; empty when the DHT is off. */
    OptionalInt dhtPort() {
        return dht == null ? OptionalInt.empty() : OptionalInt.of(dhtUdpPort);
    }

    /** A peer of a public torrent said (BEP 5 {@code PORT}) its DHT node is at {@code address}: the node may ping it. */
    void peerDhtPort(InetSocketAddress address) {
        if (dht != null && dht.peerPort(address)) {
            log.debug("DHT: pinging {}, named by a peer's PORT message", address);
        }
    }

    /** Our handshake's reserved bytes for {@code s}: the DHT bit only when the DHT is on and {@code s} is public. */
    private byte[] reserved(TorrentSession s) {
        return Handshake.ourReserved(dht != null && s.publicSwarm());
    }

    /** The DHT as a peer source for one torrent, or null when the DHT is off. */
    PeerSource dhtSource(InfoHash hash, java.util.function.BooleanSupplier allowed, java.util.function.BooleanSupplier seeding) {
        return dht == null ? null : new DhtPeerSource(dht, dhtBootstrap, hash, allowed, seeding, port());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port peers reach us on. */
    public int port() {
        return server.getLocalPort();
    }

    public Path downloadDirectory() {
        return downloadDirectory;
    }

    /** Adds a torrent from its metainfo; files go under the download directory. Returns the existing one if present. */
    public Torrent add(Metainfo metainfo) {
        return add(metainfo.infoHash(), Optional.of(metainfo), Optional.empty());
    }

    /**
     * Adds a torrent from a magnet link: metadata comes from peers (BEP 9), or at once from the
     * download folder when this magnet's metadata was received before.
     */
    public Torrent add(Magnet magnet) {
        return add(magnet.infoHash(), SavedMetadata.load(downloadDirectory, magnet.infoHash()), Optional.of(magnet));
    }

    /** Where a torrent's files go: the download folder, or its {@code <info-hash hex>} folder in folder-per-torrent mode. */
    public Path dataDirectory(InfoHash hash) {
        return folderPerTorrent ? downloadDirectory.resolve(hash.hex()) : downloadDirectory;
    }

    /**
     * Closes a torrent (announcing "stopped") and forgets it; with {@code deleteFiles} also deletes its
     * files, its folder (folder-per-torrent mode, or a multi-file torrent's folder once empty), its
     * resume data and saved metadata. Open readers get an {@link IOException} on their next read.
     * Returns whether the torrent was in the client.
     *
     * @throws java.io.UncheckedIOException when a file cannot be deleted
     */
    public boolean remove(InfoHash hash, boolean deleteFiles) {
        TorrentSession s = torrents.get(hash);
        Optional<TorrentInfo> info = Optional.empty();
        if (s != null) {
            info = s.info();
            s.close();
        }
        if (deleteFiles) {
            if (info.isEmpty()) {
                info = SavedMetadata.load(downloadDirectory, hash).map(m -> m.info());
            }
            try {
                deleteData(hash, info);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot delete the files of " + hash + ": " + e.getMessage(), e);
            }
            log.info("{} removed with its files", hash);
        } else if (s != null) {
            log.info("{} removed", hash);
        }
        return s != null;
    }

    private void deleteData(InfoHash hash, Optional<TorrentInfo> info) throws IOException {
        Path data = dataDirectory(hash);
        if (info.isPresent()) {
            Storage storage = new Storage(info.get(), data);
            for (Path p : storage.filePaths()) {
                Files.deleteIfExists(p);
            }
            if (info.get().multiFile()) {
                deleteEmptyFolders(storage.root(), data);
            }
        }
        if (folderPerTorrent && Files.isDirectory(data, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // The torrent's own folder: nothing else lives there.
            try (var walk = Files.walk(data)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Path resume = ResumeData.fileFor(downloadDirectory, hash);
        Files.deleteIfExists(resume);
        Files.deleteIfExists(resume.resolveSibling(resume.getFileName() + ".tmp"));
        Path meta = SavedMetadata.fileFor(downloadDirectory, hash);
        Files.deleteIfExists(meta);
        Files.deleteIfExists(meta.resolveSibling(meta.getFileName() + ".tmp"));
    }

    /** Deletes {@code root} and the folders under it that hold no file any more (other files are left alone). */
    private static void deleteEmptyFolders(Path root, Path within) throws IOException {
        if (!root.startsWith(within) || root.equals(within) || !Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).toList()) {
                try (var entries = Files.list(p)) {
                    if (entries.findAny().isEmpty()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private Torrent add(InfoHash hash, Optional<Metainfo> m, Optional<Magnet> magnet) {
        if (closed) {
            throw new IllegalStateException("client is closed");
        }
        TorrentSession[] created = new TorrentSession[1];
        TorrentSession s = torrents.computeIfAbsent(hash, h -> created[0] = new TorrentSession(this, h, m, magnet, downloadDirectory,
                dataDirectory(h)));
        if (created[0] != null) {
            log.info("{} added{}", hash, m.map(x -> " '" + x.info().name() + "'").orElse(" from magnet"));
            s.start();
        }
        return s;
    }

    public List<Torrent> torrents() {
        return List.copyOf(torrents.values());
    }

    public Optional<Torrent> torrent(InfoHash hash) {
        return Optional.ofNullable(torrents.get(hash));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        List<TorrentSession> all = new ArrayList<>(torrents.values());
        all.parallelStream().forEach(TorrentSession::close);
        if (dht != null) {
            dht.close();
        }
        hashPool.shutdown();
        events.shutdown();
        log.info("client closed");
    }

    // ---------------------------------------------------------------- package-private plumbing

    Clock clock() {
        return clock;
    }

    byte[] peerId() {
        return peerId.clone();
    }

    int announceKey() {
        return announceKey;
    }

    int maxConnectionsPerTorrent() {
        return maxConnectionsPerTorrent;
    }

    int uploadSlots() {
        return uploadSlots;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    Duration trackerTimeout() {
        return trackerTimeout;
    }

    Duration minAnnounceInterval() {
        return minAnnounceInterval;
    }

    long tickMillis() {
        return tickMillis;
    }

    /** Which addresses trackers and web seeds (URLs from torrents and magnets) may make us connect to. */
    public OutsideAddressPolicy addressPolicy() {
        return addressPolicy;
    }

    RateLimiter downloadLimiter() {
        return downloadLimiter;
    }

    RateLimiter uploadLimiter() {
        return uploadLimiter;
    }

    void removed(TorrentSession s) {
        if (torrents.remove(s.infoHash(), s)) {
            synchronized (this) {
                retired = retired.plus(s.totals());
            }
        }
    }

    /**
     * What the engine has done so far, for an operator's metrics: torrents by state, peer connections,
     * the DHT's size, and totals (bytes in and out, failed pieces, banned peers) over every torrent this
     * client has run, removed ones included, so the totals never go down while the client lives.
     */
    public EngineStats stats() {
        java.util.EnumMap<TorrentState, Integer> byState = new java.util.EnumMap<>(TorrentState.class);
        for (TorrentState state : TorrentState.values()) {
            byState.put(state, 0);
        }
        EngineStats.Totals totals;
        synchronized (this) {
            totals = retired;
        }
        for (TorrentSession s : torrents.values()) {
            byState.merge(s.state(), 1, Integer::sum);
            totals = totals.plus(s.totals());
        }
        return new EngineStats(byState, connections.get(), totals, dhtNodes());
    }

    void emit(TorrentEvent e) {
        if (listener != null && !events.isShutdown()) {
            try {
                events.execute(() -> {
                    try {
                        listener.accept(e);
                    } catch (RuntimeException ex) {
                        log.warn("event listener failed on {}", e, ex);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException ex) {
                // closing
            }
        }
    }

    void verify(TorrentSession s, int piece, PieceBuffer data, String[] who) {
        try {
            hashPool.execute(() -> s.verifyAndWrite(piece, data, who));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // client closing; the piece is simply not counted
        }
    }

    boolean isOwnAddress(InetSocketAddress a) {
        if (a.getPort() != port() || a.getAddress() == null) {
            return false;
        }
        InetAddress addr = a.getAddress();
        return addr.equals(bindAddress) || (bindAddress.isAnyLocalAddress() && (addr.isLoopbackAddress() || addr.isAnyLocalAddress()));
    }

    /** Where peers reach this client: its listen address (loopback when bound to every address) and port. */
    java.util.Set<InetSocketAddress> ownAddresses() {
        InetAddress a = bindAddress.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bindAddress;
        return java.util.Set.of(new InetSocketAddress(a, port()));
    }

    /** Dials a peer on a virtual thread, bounded by the half-open and total connection limits. */
    void dial(TorrentSession s, InetSocketAddress a) {
        Thread.ofVirtual().name("dial-" + a).start(() -> {
            Socket socket = null;
            boolean acquired = false;
            try {
                halfOpen.acquire();
                acquired = true;
                if (connections.get() >= maxConnections) {
                    s.dialFailed(a, "connection limit reached");
                    return;
                }
                socket = java.nio.channels.SocketChannel.open().socket();
                socket.setTcpNoDelay(true);
                if (!bindAddress.isAnyLocalAddress()) {
                    socket.bind(new InetSocketAddress(bindAddress, 0));
                }
                socket.connect(a, CONNECT_TIMEOUT_MILLIS);
                halfOpen.release();
                acquired = false;
                socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
                OutputStream out = socket.getOutputStream();
                out.write(new Handshake(reserved(s), s.infoHash(), peerId).encode());
                out.flush();
                Handshake theirs = readHandshake(socket);
                if (!theirs.infoHash().equals(s.infoHash())) {
                    throw new IOException("peer answered for another torrent");
                }
                if (Arrays.equals(theirs.peerId(), peerId)) {
                    s.connectedToSelf(a);
                    socket.close();
                    return;
                }
                PeerTransport transport = new TcpTransport(socket);
                PeerInput raw = new PeerInput(transport.input(), PEER_BUFFER);
                DataInputStream in = new DataInputStream(raw);
                PeerConnection p = new PeerConnection(s, transport, in, raw, theirs, true, clock.millis());
                s.dialDone(a);
                if (!s.accepts(p)) {
                    socket.close();
                    return;
                }
                track(p);
                s.added(p);
            } catch (PeerInput.NoMemoryException e) {
                closeQuietly(socket);
                noMemoryForConnection(a, e);
                s.dialPostponed(a);
            } catch (IOException e) {
                closeQuietly(socket);
                s.dialFailed(a, reason(e));
            } catch (InterruptedException e) {
                closeQuietly(socket);
            } finally {
                if (acquired) {
                    halfOpen.release();
                }
            }
        });
    }

    private void track(PeerConnection p) {
        connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("accept failed: {}", e.toString());
                }
                continue;
            }
            Thread.ofVirtual().name("incoming-" + socket.getRemoteSocketAddress()).start(() -> incoming(socket));
        }
    }

    private void incoming(Socket socket) {
        try {
            if (connections.get() >= maxConnections) {
                socket.close();
                return;
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            Handshake theirs = readHandshake(socket);
            TorrentSession s = torrents.get(theirs.infoHash());
            if (s == null || Arrays.equals(theirs.peerId(), peerId)) {
                socket.close();
                return;
            }
            PeerTransport transport = new TcpTransport(socket);
            PeerInput raw = new PeerInput(transport.input(), PEER_BUFFER);
            DataInputStream in = new DataInputStream(raw);
            PeerConnection p = new PeerConnection(s, transport, in, raw, theirs, false, clock.millis());
            if (!s.accepts(p)) {
                socket.close();
                return;
            }
            OutputStream out = socket.getOutputStream();
            out.write(new Handshake(reserved(s), s.infoHash(), peerId).encode());
            out.flush();
            track(p);
            s.added(p);
        } catch (PeerInput.NoMemoryException e) {
            noMemoryForConnection(socket.getRemoteSocketAddress(), e);
            closeQuietly(socket);
        } catch (IOException e) {
            closeQuietly(socket);
        }
    }

    /** Once at warning level (it would repeat for every peer while memory is short), then at debug. */
    private void noMemoryForConnection(java.net.SocketAddress peer, IOException e) {
        if (memoryWarned.compareAndSet(false, true)) {
            log.warn("refusing connections while direct memory is short ({}): {}", peer, e.getMessage());
        } else {
            log.debug("refusing {}: {}", peer, e.getMessage());
        }
    }

    /**
     * The peer's handshake, read unbuffered through the socket's stream, which honours the handshake
     * timeout; the bytes after it are left to the connection's {@link PeerInput}.
     */
    private static Handshake readHandshake(Socket socket) throws IOException {
        return Handshake.decode(Handshake.readFully(new DataInputStream(socket.getInputStream())));
    }

    /** Lets every torrent's idle pooled piece buffers go, when direct memory runs out (takes no session lock). */
    void dropSpareBuffers() {
        torrents.values().forEach(TorrentSession::dropSpareBuffers);
    }

    /** For the log: an exception's message, or what it means when it has none (an EOFException's). */
    static String reason(IOException e) {
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e instanceof java.io.EOFException ? "the peer closed the connection" : e.getClass().getSimpleName();
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /** Configuration; every setting has a default suitable for a desktop client. */
    public static final class Builder {
        private Path downloadDirectory = Path.of(".");
        private boolean folderPerTorrent;
        private InetAddress bindAddress;
        private int port = 6881;
        private Clock clock = Clock.systemUTC();
        private int maxConnections = 200;
        private int maxConnectionsPerTorrent = 50;
        private int maxHalfOpen = 20;
        private int uploadSlots = 8;
        private long uploadRateLimit;
        private long downloadRateLimit;
        private Duration requestTimeout = Duration.ofSeconds(20);
        // BEP 3 peers send a keep-alive every two minutes; three minutes of silence means the peer is gone.
        private Duration idleTimeout = Duration.ofMinutes(3);
        private Duration trackerTimeout = Duration.ofSeconds(15);
        private Duration minAnnounceInterval = Duration.ofSeconds(1);
        private long tickMillis = 500;
        private OutsideAddressPolicy addressPolicy =
                OutsideAddressPolicy.outsideOnly();
        private Consumer<TorrentEvent> listener;
        private int dhtPort = -1;
        private List<InetSocketAddress> dhtBootstrap = List.of();

        private Builder() {
            try {
                bindAddress = InetAddress.getByAddress(new byte[4]);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        public Builder downloadDirectory(Path value) {
            this.downloadDirectory = Objects.requireNonNull(value);
            return this;
        }

        /**
         * When true, a torrent's files go under {@code <download dir>/<info-hash hex>/<name>} instead of
         * {@code <download dir>/<name>}, so two torrents with the same name never collide. Default false.
         */
        public Builder folderPerTorrent(boolean value) {
            this.folderPerTorrent = value;
            return this;
        }

        /** Address to listen on and dial from; all addresses by default. Tests use 127.0.0.1. */
        public Builder bindAddress(InetAddress value) {
            this.bindAddress = Objects.requireNonNull(value);
            return this;
        }

        /** Listening port; 0 picks a free one. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + value);
            }
            this.port = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        public Builder maxConnections(int value) {
            this.maxConnections = positive(value, "maxConnections");
            return this;
        }

        public Builder maxConnectionsPerTorrent(int value) {
            this.maxConnectionsPerTorrent = positive(value, "maxConnectionsPerTorrent");
            return this;
        }

        public Builder maxHalfOpenConnections(int value) {
            this.maxHalfOpen = positive(value, "maxHalfOpenConnections");
            return this;
        }

        public Builder uploadSlots(int value) {
            this.uploadSlots = positive(value, "uploadSlots");
            return this;
        }

        /** Bytes per second, 0 for unlimited. */
        public Builder uploadRateLimit(long value) {
            this.uploadRateLimit = Math.max(0, value);
            return this;
        }

        /**
         * Tracker and web seed URLs come from torrents and magnets, outside input: by default one whose
         * host resolves to a loopback, private, link-local or other inside address is refused, redirects
         * included. True allows them (a LAN tracker or server, tests).
         */
        public Builder allowLocalAddresses(boolean value) {
            return addressPolicy(OutsideAddressPolicy.of(value));
        }

        /** The address policy for trackers and web seeds ({@link #allowLocalAddresses} sets one of the two usual ones). */
        public Builder addressPolicy(OutsideAddressPolicy value) {
            this.addressPolicy = java.util.Objects.requireNonNull(value);
            return this;
        }

        /** Bytes per second, 0 for unlimited. */
        public Builder downloadRateLimit(long value) {
            this.downloadRateLimit = Math.max(0, value);
            return this;
        }

        /**
         * A connection whose reader has waited this long in a read that brought nothing (not even a
         * keep-alive) is closed; time the download rate limit holds the reader back does not count.
         */
        public Builder idleTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("idle timeout must be positive, got " + value);
            }
            this.idleTimeout = value;
            return this;
        }

        /** A peer that answers none of our requests for this long is snubbed and its requests go elsewhere. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = Objects.requireNonNull(value);
            return this;
        }

        public Builder trackerTimeout(Duration value) {
            this.trackerTimeout = Objects.requireNonNull(value);
            return this;
        }

        /** Lower bound on re-announce intervals, whatever a tracker asks. */
        public Builder minAnnounceInterval(Duration value) {
            this.minAnnounceInterval = Objects.requireNonNull(value);
            return this;
        }

        public Builder listener(Consumer<TorrentEvent> value) {
            this.listener = value;
            return this;
        }

        /**
         * Turns the DHT on (off by default): one UDP socket on the bind address and {@code port} (0:
         * any), joined through {@code bootstrap} (IP addresses, or unresolved names looked up when the
         * node bootstraps, as {@link DhtRouters#PUBLIC}; none is assumed).
         * Each non-private torrent then looks for peers there and announces itself. The node's id and
         * the nodes it knows are kept in the download directory's {@code .hypertube/} ({@code dht-id},
         * {@code dht-nodes}) for the next run.
         */
        public Builder dht(int port, List<InetSocketAddress> bootstrap) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("DHT port must be 0..65535, got " + port);
            }
            this.dhtPort = port;
            this.dhtBootstrap = List.copyOf(bootstrap);
            return this;
        }

        Builder tickMillis(long value) {
            this.tickMillis = value;
            return this;
        }

        private static int positive(int v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + v);
            }
            return v;
        }

        /** Binds the listening socket and starts the client. */
        public TorrentClient build() throws IOException {
            return new TorrentClient(this);
        }
    }
}
