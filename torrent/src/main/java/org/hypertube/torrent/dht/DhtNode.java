package org.hypertube.torrent.dht;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our DHT node on one UDP socket (BEP 5, IPv4): a client that sends queries and matches the
 * answers, a server that answers {@code ping}, {@code find_node}, {@code get_peers} and {@code
 * announce_peer}, a bounded peer store, and iterative lookups ({@link #lookup}, {@link #bootstrap})
 * driving a {@link Lookup}.
 *
 * <p>A response counts only when its transaction id is one we sent, it comes from the address we
 * sent the query to and, when we knew the node's id, it carries that id; only such responders
 * enter the routing table (the8472/mldht's sanitising rules). Anything that does not decode is
 * dropped and counted. Incoming queries are rate-limited per source IP.
 */
public final class DhtNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DhtNode.class);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** How long a peer stored by {@code announce_peer} stays. */
    public static final Duration PEER_TTL = Duration.ofMinutes(30);
    public static final int MAX_PEERS_PER_HASH = 100;
    public static final int MAX_PEERS = 10_000;
    /** Values in one {@code get_peers} response: 50 compact peers keep it well under a datagram. */
    static final int MAX_VALUES_SENT = 50;
    static final int MAX_PENDING = 512;
    static final int MAX_RATE_SOURCES = 4096;
    static final int K = RoutingTable.K;
    static final Duration REFRESH_CHECK = Duration.ofMinutes(1);
    static final int MAX_SAVED_NODES = 200;
    static final int MAX_PINGED_BACK = 1024;
    /** Pings for addresses that peers gave in PORT messages: this many a second on average, in bursts of {@link #PORT_PING_BURST}. */
    static final int PORT_PINGS_PER_SECOND = 2;
    static final int PORT_PING_BURST = 20;

    private final DatagramChannel channel;
    /** Ours; replaced once (BEP 42) when our external address is agreed, unless fixed by the builder. */
    private volatile NodeId id;
    private final Path idFile;
    private final boolean idFixed;
    private final AddressVotes votes = new AddressVotes();
    /** Whether the id was changed for an agreed address this run (it is, once at most). */
    private volatile boolean reseated;
    private volatile InetAddress externalAddress;
    private final RateBucket portPings;
    /** Bootstrap host names that did not resolve, each warned about once. */
    private final Set<String> unresolvedWarned = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration timeout;
    private final int queriesPerSecond;
    private final int burst;
    private final RoutingTable table;
    private final TokenSecret tokens;
    private final Map<TransactionId, Pending> pending = new ConcurrentHashMap<>();
    /** info-hash → peer → when it was announced, oldest first. */
    private final Map<NodeId, LinkedHashMap<InetSocketAddress, Instant>> peers = new HashMap<>();
    private int storedPeers;
    /** When the store was last swept for expired peers: at most once a second, so a query costs little. */
    private Instant swept = Instant.MIN;
    private final Map<InetAddress, RateBucket> rates = new HashMap<>();
    /** Addresses we pinged back after they queried us, the last {@value #MAX_PINGED_BACK}. */
    private final Map<InetSocketAddress, Boolean> pingedBack = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Boolean> eldest) {
            return size() > MAX_PINGED_BACK;
        }
    };
    private final Thread reader;
    private final Thread maintainer;
    private final Path nodesFile;
    private final List<InetSocketAddress> savedNodes;
    private volatile boolean closed;

    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unsolicited = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();

    private record Pending(InetSocketAddress to, NodeId expected, CompletableFuture<KrpcMessage> future) {}

    private static final class RateBucket {
        double tokens;
        Instant last;

        RateBucket(double tokens, Instant last) {
            this.tokens = tokens;
            this.last = last;
        }

        /** Refills at {@code perSecond} up to {@code burst} since the last call, then takes one token if there is one. */
        boolean take(Instant now, int perSecond, int burst) {
            double elapsed = Math.max(0, Duration.between(last, now).toNanos() / 1e9);
            tokens = Math.min(burst, tokens + elapsed * perSecond);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }

    /** A node that answered our {@code get_peers} with a token, which {@code announce_peer} needs. */
    public record TokenHolder(NodeContact node, Token token) {}

    /** What a {@code get_peers} lookup found: peers, and the closest responders with their tokens, closest first. */
    public record LookupResult(List<InetSocketAddress> peers, List<TokenHolder> closest, int queried) {}

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private Path idFile;
        private Path nodesFile;
        private NodeId id;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = new SecureRandom();
        private Duration timeout = DEFAULT_TIMEOUT;
        private int queriesPerSecond = 20;
        private int burst = 40;

        private Builder() {}

        /** Where to listen; 127.0.0.1 port 0 unless set. */
        public Builder bind(InetSocketAddress bind) {
            this.bind = bind;
            return this;
        }

        /** A file that keeps our node id across restarts (40 hex digits), created when missing. */
        public Builder idFile(Path idFile) {
            this.idFile = idFile;
            return this;
        }

        /**
         * A file that keeps the routing table's nodes across restarts ({@code IP:PORT} a line, at most
         * {@value #MAX_SAVED_NODES}): read at open, used by every {@link #bootstrap}, written every
         * minute and at close.
         */
        public Builder nodesFile(Path nodesFile) {
            this.nodesFile = nodesFile;
            return this;
        }

        /** A fixed node id (tests), never replaced by a BEP 42 one; an id file, if any, wins (and is not fixed). */
        public Builder id(NodeId id) {
            this.id = id;
            return this;
        }

        /** The clock of the routing table, the tokens, the peer store and the rate limit. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Ids, transaction ids and token secrets; used from several threads, so it must be thread-safe. */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public Builder queryTimeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Incoming queries answered per source IP: {@code perSecond} on average, bursts of {@code burst}. */
        public Builder rateLimit(int perSecond, int burst) {
            if (perSecond < 0 || burst < 1) {
                throw new IllegalArgumentException("rate " + perSecond + "/s, burst " + burst);
            }
            this.queriesPerSecond = perSecond;
            this.burst = burst;
            return this;
        }

        public DhtNode open() throws IOException {
            NodeId nodeId = idFile != null ? loadOrCreateId(idFile, random) : id != null ? id : NodeId.random(random);
            DatagramChannel ch = DatagramChannel.open();
            try {
                ch.bind(bind);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            return new DhtNode(ch, nodeId, this);
        }
    }

    private DhtNode(DatagramChannel channel, NodeId id, Builder b) {
        this.channel = channel;
        this.id = id;
        this.idFile = b.idFile;
        this.idFixed = b.idFile == null && b.id != null;
        this.portPings = new RateBucket(PORT_PING_BURST, b.clock.instant());
        this.clock = b.clock;
        this.random = b.random;
        this.timeout = b.timeout;
        this.queriesPerSecond = b.queriesPerSecond;
        this.burst = b.burst;
        this.table = new RoutingTable(id, clock, random);
        this.tokens = new TokenSecret(clock, random);
        this.nodesFile = b.nodesFile;
        this.savedNodes = b.nodesFile == null ? List.of() : loadNodes(b.nodesFile);
        this.reader = Thread.ofVirtual().name("dht-reader-" + localAddress().getPort()).start(this::readLoop);
        this.maintainer = Thread.ofVirtual().name("dht-refresh-" + localAddress().getPort()).start(this::maintainLoop);
    }

    /** Reads the id kept in {@code file}, or makes a random one and writes it there. */
    static NodeId loadOrCreateId(Path file, RandomGenerator random) throws IOException {
        if (Files.isRegularFile(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (text.length() == 2 * NodeId.LENGTH && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return NodeId.ofHex(text);
            }
            log.warn("DHT id file {} does not hold 40 hex digits; making a new id", file);
        }
        NodeId fresh = NodeId.random(random);
        writeId(file, fresh);
        return fresh;
    }

    private static void writeId(Path file, NodeId nodeId) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".dht-id", ".tmp");
        Files.writeString(tmp, nodeId.toString() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The {@code IP:PORT} lines of a nodes file; a missing or unreadable file, or a bad line, is skipped. */
    static List<InetSocketAddress> loadNodes(Path file) {
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 64 * 1024) {
                return out;
            }
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                int colon = line.lastIndexOf(':');
                if (out.size() >= MAX_SAVED_NODES || colon < 7) {
                    continue;
                }
                try {
                    String[] octets = line.substring(0, colon).strip().split("\\.", -1);
                    int port = Integer.parseInt(line.substring(colon + 1).strip());
                    if (octets.length != 4 || port <= 0 || port > 65535) {
                        continue;
                    }
                    byte[] ip = new byte[4];
                    for (int i = 0; i < 4; i++) {
                        int v = Integer.parseInt(octets[i]);
                        if (v < 0 || v > 255 || octets[i].length() > 3) {
                            throw new NumberFormatException(octets[i]);
                        }
                        ip[i] = (byte) v;
                    }
                    out.add(new InetSocketAddress(InetAddress.getByAddress(ip), port)); // a literal: no DNS
                } catch (NumberFormatException | IOException e) {
                    // a bad line
                }
            }
        } catch (IOException e) {
            log.warn("DHT nodes file {} unreadable: {}", file, e.toString());
        }
        return out;
    }

    /** Writes the routing table's nodes, closest to us first, to the nodes file, if there is one. */
    void saveNodes() {
        if (nodesFile == null) {
            return;
        }
        List<NodeContact> nodes;
        synchronized (table) {
            nodes = table.closest(id, MAX_SAVED_NODES);
        }
        if (nodes.isEmpty()) {
            return; // keep what an earlier run saved rather than nothing
        }
        StringBuilder text = new StringBuilder();
        for (NodeContact n : nodes) {
            text.append(n.address().getAddress().getHostAddress()).append(':').append(n.address().getPort()).append('\n');
        }
        try {
            Path parent = nodesFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".dht-nodes", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, nodesFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("DHT nodes file {} not written: {}", nodesFile, e.toString());
        }
    }

    public NodeId id() {
        return id;
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("DHT socket is closed", e);
        }
    }

    // ---- client side ----

    /** Sends {@code ping}; the future holds the {@link KrpcMessage.Response} or {@link KrpcMessage.Error}, or fails with a {@link TimeoutException}. */
    public CompletableFuture<KrpcMessage> ping(InetSocketAddress to) {
        return query(to, null, t -> new KrpcMessage.Ping(t, id));
    }

    public CompletableFuture<KrpcMessage> findNode(InetSocketAddress to, NodeId target) {
        return query(to, null, t -> new KrpcMessage.FindNode(t, id, target));
    }

    public CompletableFuture<KrpcMessage> getPeers(InetSocketAddress to, NodeId infoHash) {
        return query(to, null, t -> new KrpcMessage.GetPeers(t, id, infoHash));
    }

    /** Announces us on {@code port} (or, with {@code impliedPort}, on our DHT socket's port) with {@code to}'s token. */
    public CompletableFuture<KrpcMessage> announcePeer(
            InetSocketAddress to, NodeId infoHash, int port, boolean impliedPort, Token token) {
        return query(to, null, t -> new KrpcMessage.AnnouncePeer(t, id, infoHash, port, impliedPort, token));
    }

    /**
     * Sends a query with a fresh transaction id. {@code expected}, when known, is the id the node
     * must answer with to enter our routing table and to count as failed on a timeout.
     */
    CompletableFuture<KrpcMessage> query(InetSocketAddress to, NodeId expected, Function<TransactionId, KrpcMessage.Query> make) {
        CompletableFuture<KrpcMessage> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new ClosedChannelException());
            return future;
        }
        if (pending.size() >= MAX_PENDING) {
            future.completeExceptionally(new IOException("too many DHT queries in flight (" + MAX_PENDING + ")"));
            return future;
        }
        TransactionId t;
        Pending p = new Pending(to, expected, future);
        do {
            byte[] b = new byte[4];
            random.nextBytes(b);
            t = new TransactionId(b);
        } while (pending.putIfAbsent(t, p) != null);
        TransactionId tid = t;
        future.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).whenComplete((m, e) -> {
            pending.remove(tid, p);
            if (e instanceof TimeoutException && expected != null) {
                synchronized (table) {
                    table.failed(new NodeContact(expected, to));
                }
            }
        });
        try {
            send(to, make.apply(tid));
        } catch (IOException | RuntimeException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    private void send(InetSocketAddress to, KrpcMessage m) throws IOException {
        channel.send(ByteBuffer.wrap(Krpc.encode(m)), to);
    }

    // ---- the reader ----

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(Krpc.MAX_MESSAGE + 1);
        while (!closed) {
            SocketAddress from;
            buf.clear();
            try {
                from = channel.receive(buf);
            } catch (IOException e) {
                if (closed || !channel.isOpen()) {
                    return;
                }
                // A transient error (an ICMP report, a full buffer): keep reading, without spinning.
                log.debug("DHT socket: {}", e.toString());
                try {
                    Thread.sleep(10);
                } catch (InterruptedException stop) {
                    return;
                }
                continue;
            }
            if (!(from instanceof InetSocketAddress source)) {
                continue;
            }
            buf.flip();
            byte[] packet = new byte[buf.remaining()];
            buf.get(packet);
            try {
                handle(Krpc.decode(packet), source);
            } catch (KrpcException e) {
                malformed.incrementAndGet();
                log.debug("DHT: dropped a datagram from {}: {}", source, e.getMessage());
            } catch (RuntimeException e) {
                malformed.incrementAndGet();
                log.debug("DHT: datagram from {} not handled", source, e);
            }
        }
    }

    private void handle(KrpcMessage m, InetSocketAddress from) {
        switch (m) {
            case KrpcMessage.Query q -> serve(q, from);
            case KrpcMessage.Response r -> answered(r, from);
            case KrpcMessage.Error e -> answered(e, from);
        }
    }

    private void answered(KrpcMessage m, InetSocketAddress from) {
        Pending p = pending.get(m.t());
        if (p == null || !p.to().equals(from)) {
            unsolicited.incrementAndGet();
            log.debug("DHT: dropped {} from {}: no such query to that address", m.t(), from);
            return;
        }
        if (m instanceof KrpcMessage.Response r) {
            if (p.expected() != null && !p.expected().equals(r.sender())) {
                // Not the node we meant; the answer may still be of use but it stays out of the table.
                log.debug("DHT: {} answered as {} instead of {}", from, r.sender(), p.expected());
            } else if (from.getAddress() instanceof Inet4Address && from.getPort() != 0) {
                admit(new NodeContact(r.sender(), from));
            }
            r.ip().ifPresent(ip -> externalAddressSeen(from.getAddress(), ip.getAddress()));
        }
        if (pending.remove(m.t(), p)) {
            p.future().complete(m);
        }
    }

    private void admit(NodeContact node) {
        RoutingTable.Admission a;
        synchronized (table) {
            a = table.responded(node);
        }
        if (a instanceof RoutingTable.PingFirst(List<NodeContact> questionable)) {
            for (NodeContact q : questionable) {
                query(q.address(), q.id(), t -> new KrpcMessage.Ping(t, id));
            }
        }
    }

    // ---- server side ----

    private void serve(KrpcMessage.Query q, InetSocketAddress from) {
        if (!allow(from.getAddress())) {
            rateLimited.incrementAndGet();
            return;
        }
        NodeContact stranger = null;
        if (from.getPort() != 0 && !q.sender().equals(id) && from.getAddress() instanceof Inet4Address) {
            NodeContact querier = new NodeContact(q.sender(), from);
            synchronized (table) {
                table.queried(querier);
                stranger = isInTable(querier) ? null : querier;
            }
        }
        KrpcMessage reply = switch (q) {
            case KrpcMessage.Ping p -> response(p.t(), from, List.of(), List.of(), null);
            case KrpcMessage.FindNode f -> response(f.t(), from, closest(f.target()), List.of(), null);
            case KrpcMessage.GetPeers g -> {
                List<InetSocketAddress> values = storedPeers(g.infoHash());
                yield response(g.t(), from, values.isEmpty() ? closest(g.infoHash()) : List.of(), values,
                        tokens.tokenFor(from.getAddress(), g.infoHash()));
            }
            case KrpcMessage.AnnouncePeer a -> {
                if (!tokens.isValid(a.token(), from.getAddress(), a.infoHash())) {
                    yield new KrpcMessage.Error(a.t(), KrpcMessage.Error.PROTOCOL, "invalid token");
                }
                store(a.infoHash(), new InetSocketAddress(from.getAddress(), a.impliedPort() ? from.getPort() : a.port()));
                yield response(a.t(), from, List.of(), List.of(), null);
            }
            case KrpcMessage.UnknownQuery u -> new KrpcMessage.Error(u.t(), KrpcMessage.Error.METHOD_UNKNOWN, "method unknown");
        };
        try {
            send(from, reply);
        } catch (IOException | RuntimeException e) {
            log.debug("DHT: could not answer {}: {}", from, e.toString());
        }
        if (stranger != null) {
            pingBack(stranger.address(), stranger.id());
        }
    }

    private boolean isInTable(NodeContact node) {
        try {
            table.status(node);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A node we do not know queried us: it may enter the table only by answering a query of ours
     * (mldht's rule), so ask it a {@code ping}, once per address in a while, and only while our own
     * queries leave room.
     */
    private boolean pingBack(InetSocketAddress address, NodeId expected) {
        synchronized (pingedBack) {
            if (pingedBack.containsKey(address) || pending.size() >= MAX_PENDING / 2) {
                return false;
            }
            pingedBack.put(address, Boolean.TRUE);
        }
        query(address, expected, t -> new KrpcMessage.Ping(t, id));
        return true;
    }

    /**
     * A peer's {@code PORT} message (BEP 5): its DHT node listens at {@code address}. It is pinged so
     * that it may enter the table by answering, unless it is not an IPv4 address, it is us, it is
     * known already, it was pinged lately (the last {@value #MAX_PINGED_BACK} addresses), or peers
     * gave more than {@value #PORT_PINGS_PER_SECOND} a second lately (bursts of {@value #PORT_PING_BURST}).
     * Returns whether a ping went out.
     */
    public boolean peerPort(InetSocketAddress address) {
        if (closed || address.isUnresolved() || !(address.getAddress() instanceof Inet4Address) || address.getPort() == 0
                || isUs(address)) {
            return false;
        }
        synchronized (table) {
            if (table.knows(address)) {
                return false;
            }
        }
        synchronized (pingedBack) {
            if (pingedBack.containsKey(address)) {
                return false;
            }
        }
        synchronized (portPings) {
            if (!portPings.take(clock.instant(), PORT_PINGS_PER_SECOND, PORT_PING_BURST)) {
                return false;
            }
        }
        return pingBack(address, null);
    }

    /** Our own socket's address: its port, on the address we are bound to, our external one, or one of this host's. */
    private boolean isUs(InetSocketAddress address) {
        InetSocketAddress local = localAddress();
        if (address.getPort() != local.getPort()) {
            return false;
        }
        InetAddress ip = address.getAddress();
        if (ip.equals(local.getAddress()) || ip.equals(externalAddress) || ip.isLoopbackAddress() && local.getAddress().isAnyLocalAddress()) {
            return true;
        }
        try {
            return local.getAddress().isAnyLocalAddress() && java.net.NetworkInterface.getByInetAddress(ip) != null;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- our external address (BEP 42) ----

    /**
     * {@code voter} (a node answering us with BEP 42's {@code ip}, or a tracker) saw us at {@code
     * reported}. Once {@link AddressVotes#AGREE} distinct voters agree on a public address, our id
     * becomes BEP 42's for it (kept in the id file), unless it already is, or the id is fixed.
     */
    public void externalAddressSeen(InetAddress voter, InetAddress reported) {
        Optional<InetAddress> agreed;
        synchronized (votes) {
            agreed = votes.vote(voter, reported);
        }
        agreed.ifPresent(this::externalAddressAgreed);
    }

    private void externalAddressAgreed(InetAddress address) {
        externalAddress = address;
        log.info("DHT: our external address is {}", address.getHostAddress());
        if (idFixed || NodeId.exempt(address) || id.derivedFrom(address)) {
            return;
        }
        if (reseated) {
            // Nodes that work together could otherwise flip the agreed address back and forth, each flip
            // laying the table out again and rewriting the id file: the id changes once a run, at most.
            log.warn("DHT: external address now said to be {}; the node id stays {} until restart", address.getHostAddress(), id);
            return;
        }
        reseated = true;
        NodeId fresh = NodeId.secure(address, random);
        synchronized (table) {
            table.reseat(fresh);
            id = fresh;
        }
        log.info("DHT: node id {} for {} (BEP 42)", fresh, address.getHostAddress());
        if (idFile != null) {
            try {
                writeId(idFile, fresh);
            } catch (IOException e) {
                log.warn("DHT id file {} not written: {}", idFile, e.toString());
            }
        }
    }

    /** The external address the nodes agree we have, if they do yet. */
    public Optional<InetAddress> externalAddress() {
        return Optional.ofNullable(externalAddress);
    }

    private KrpcMessage.Response response(TransactionId t, InetSocketAddress to, List<NodeContact> nodes,
            List<InetSocketAddress> values, Token token) {
        return new KrpcMessage.Response(t, id, nodes, List.of(), values, Optional.ofNullable(token), Optional.of(to));
    }

    private List<NodeContact> closest(NodeId target) {
        synchronized (table) {
            return table.closest(target, K).stream().filter(n -> n.address().getAddress() instanceof Inet4Address).toList();
        }
    }

    /** A token bucket per source IP, on the injected clock. */
    private boolean allow(InetAddress source) {
        Instant now = clock.instant();
        synchronized (rates) {
            RateBucket b = rates.get(source);
            if (b == null) {
                if (rates.size() >= MAX_RATE_SOURCES) {
                    // Forget sources idle long enough to have refilled; if none, forget them all.
                    Duration refill = queriesPerSecond == 0 ? Duration.ofHours(1) : Duration.ofMillis(1000L * burst / queriesPerSecond);
                    rates.values().removeIf(r -> !now.isBefore(r.last.plus(refill)));
                    if (rates.size() >= MAX_RATE_SOURCES) {
                        rates.clear();
                    }
                }
                b = new RateBucket(burst, now);
                rates.put(source, b);
            }
            return b.take(now, queriesPerSecond, burst);
        }
    }

    // ---- peer store ----

    private void store(NodeId infoHash, InetSocketAddress peer) {
        synchronized (peers) {
            expire();
            LinkedHashMap<InetSocketAddress, Instant> set = peers.computeIfAbsent(infoHash, k -> new LinkedHashMap<>());
            if (set.remove(peer) != null) {
                storedPeers--;
            } else if (set.size() >= MAX_PEERS_PER_HASH) {
                set.pollFirstEntry();
                storedPeers--;
            } else if (storedPeers >= MAX_PEERS) {
                if (set.isEmpty()) {
                    peers.remove(infoHash);
                }
                log.debug("DHT: peer store full ({}), {} for {} not stored", MAX_PEERS, peer, infoHash);
                return;
            }
            set.put(peer, clock.instant());
            storedPeers++;
        }
    }

    /** Up to {@value #MAX_VALUES_SENT} of the peers stored for {@code infoHash}, newest first. */
    List<InetSocketAddress> storedPeers(NodeId infoHash) {
        synchronized (peers) {
            expire();
            LinkedHashMap<InetSocketAddress, Instant> set = peers.get(infoHash);
            if (set == null) {
                return List.of();
            }
            List<InetSocketAddress> all = new ArrayList<>(set.sequencedKeySet().reversed());
            return all.stream().filter(a -> a.getAddress() instanceof Inet4Address).limit(MAX_VALUES_SENT).toList();
        }
    }

    int storedPeerCount() {
        synchronized (peers) {
            expire();
            return storedPeers;
        }
    }

    private void expire() {
        Instant now = clock.instant();
        if (now.isBefore(swept.plusSeconds(1)) && now.isAfter(swept)) {
            return;
        }
        swept = now;
        Instant oldest = now.minus(PEER_TTL);
        for (var it = peers.values().iterator(); it.hasNext(); ) {
            LinkedHashMap<InetSocketAddress, Instant> set = it.next();
            while (!set.isEmpty() && !set.firstEntry().getValue().isAfter(oldest)) {
                set.pollFirstEntry();
                storedPeers--;
            }
            if (set.isEmpty()) {
                it.remove();
            }
        }
    }

    // ---- lookups ----

    /**
     * Joins the DHT through {@code nodes} and the nodes file's: a {@code find_node} lookup for our
     * own id, starting from them and whatever the table holds. Completes with the routing table's size.
     */
    public CompletableFuture<Integer> bootstrap(List<InetSocketAddress> nodes) {
        List<InetSocketAddress> given = List.copyOf(nodes);
        return CompletableFuture.supplyAsync(() -> {
            List<InetSocketAddress> seeds = resolve(given);
            savedNodes.stream().filter(a -> !seeds.contains(a)).forEach(seeds::add);
            iterate(id, false, seeds, peers -> { });
            return routingTableSize();
        }, Thread.ofVirtual().name("dht-bootstrap")::start);
    }

    /**
     * The addresses of {@code nodes}: a resolved one as it is, an unresolved name as every IPv4
     * address it has now (DNS, on the caller's thread); a name that does not resolve is left out, with
     * a warning the first time (a bootstrap is retried while the table is empty, so offline it would repeat).
     */
    List<InetSocketAddress> resolve(List<InetSocketAddress> nodes) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress a : nodes) {
            if (!a.isUnresolved()) {
                if (!out.contains(a)) {
                    out.add(a);
                }
                continue;
            }
            try {
                for (InetAddress ip : InetAddress.getAllByName(a.getHostString())) {
                    InetSocketAddress resolved = new InetSocketAddress(ip, a.getPort());
                    if (ip instanceof Inet4Address && !out.contains(resolved)) {
                        out.add(resolved);
                    }
                }
            } catch (java.net.UnknownHostException | SecurityException e) {
                if (unresolvedWarned.add(a.getHostString())) {
                    log.warn("DHT bootstrap node {}:{} not resolved (skipped; said once): {}", a.getHostString(), a.getPort(), e.toString());
                } else {
                    log.debug("DHT bootstrap node {}:{} not resolved: {}", a.getHostString(), a.getPort(), e.toString());
                }
            }
        }
        return out;
    }

    /** An iterative {@code get_peers} lookup for {@code infoHash} from our routing table. */
    public CompletableFuture<LookupResult> lookup(NodeId infoHash) {
        return lookup(infoHash, peers -> { });
    }

    /** The same, handing each response's peers to {@code onPeers} as they come (on the lookup's thread). */
    public CompletableFuture<LookupResult> lookup(NodeId infoHash, Consumer<List<InetSocketAddress>> onPeers) {
        return lookup(infoHash, List.of(), onPeers);
    }

    /**
     * The same, also asking {@code seeds} (addresses whose ids are unknown) and, when there are seeds,
     * the nodes file's, alongside the routing table's closest nodes: while the table is still filling
     * (just after start, with the bootstrap nodes as seeds), the lookup need not wait for the bootstrap.
     */
    public CompletableFuture<LookupResult> lookup(NodeId infoHash, List<InetSocketAddress> seeds,
            Consumer<List<InetSocketAddress>> onPeers) {
        List<InetSocketAddress> given = List.copyOf(seeds);
        return CompletableFuture.supplyAsync(() -> {
            // Names (the public routers by default) are resolved here, off the caller's thread.
            List<InetSocketAddress> all = resolve(given);
            if (!given.isEmpty()) {
                savedNodes.stream().filter(a -> !all.contains(a)).forEach(all::add);
            }
            return iterate(infoHash, true, all, onPeers);
        }, Thread.ofVirtual().name("dht-lookup")::start);
    }

    /**
     * Runs one {@link Lookup} for {@code target} with {@code get_peers} or {@code find_node}, from the
     * closest nodes of our table and the {@code seeds} (ids unknown), all asked at once: each seed's
     * answer joins the lookup when it comes. A query unanswered for {@link Lookup#SHORT_TIMEOUT_MILLIS}
     * gives its slot to the next node (its answer still counts until the time-out). Blocks; runs on a
     * virtual thread.
     */
    private LookupResult iterate(NodeId target, boolean getPeers, List<InetSocketAddress> seeds,
            Consumer<List<InetSocketAddress>> onPeers) {
        Function<TransactionId, KrpcMessage.Query> make = t -> getPeers
                ? new KrpcMessage.GetPeers(t, id, target)
                : new KrpcMessage.FindNode(t, id, target);
        Set<InetSocketAddress> found = new LinkedHashSet<>();
        Map<InetSocketAddress, CompletableFuture<KrpcMessage>> asked = new LinkedHashMap<>();
        for (InetSocketAddress s : seeds) {
            asked.putIfAbsent(s, query(s, null, make));
        }
        int seedQueries = asked.size();
        Lookup lookup = new Lookup(target, closest(target).stream().filter(n -> !n.id().equals(id)).toList());
        Map<NodeContact, CompletableFuture<KrpcMessage>> inFlight = new LinkedHashMap<>();
        long started = System.nanoTime();
        while (!closed) {
            long now = (System.nanoTime() - started) / 1_000_000;
            lookup.stall(now);
            for (NodeContact c : lookup.next(now)) {
                inFlight.put(c, query(c.address(), c.id(), make));
            }
            if (inFlight.isEmpty() && asked.isEmpty()) {
                break;
            }
            List<CompletableFuture<KrpcMessage>> waiting = new ArrayList<>(inFlight.values());
            waiting.addAll(asked.values());
            long wait = Math.max(1, lookup.nextStall() - now);
            CompletableFuture.anyOf(waiting.toArray(CompletableFuture[]::new))
                    .completeOnTimeout(null, Math.min(wait, timeout.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .exceptionally(e -> null).join();
            for (var it = asked.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getValue().isDone()) {
                    it.remove();
                    if (e.getValue().exceptionally(x -> null).join() instanceof KrpcMessage.Response r && !r.sender().equals(id)) {
                        found(r, found, onPeers);
                        lookup.answeredElsewhere(new NodeContact(r.sender(), e.getKey()), withoutUs(r));
                    }
                }
            }
            for (var it = inFlight.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isDone()) {
                    continue;
                }
                it.remove();
                if (e.getValue().exceptionally(x -> null).join() instanceof KrpcMessage.Response r) {
                    found(r, found, onPeers);
                    lookup.answered(e.getKey(), withoutUs(r));
                } else {
                    lookup.failed(e.getKey());
                }
            }
            if (lookup.done() && inFlight.isEmpty() && asked.isEmpty()) {
                break;
            }
        }
        List<TokenHolder> holders = lookup.announceTargets().stream().map(a -> new TokenHolder(a.node(), a.token())).toList();
        return new LookupResult(List.copyOf(found), holders, lookup.queries() + seedQueries);
    }

    /** Peers of {@code r} not seen yet in this lookup go to {@code onPeers} at once. */
    private static void found(KrpcMessage.Response r, Set<InetSocketAddress> found, Consumer<List<InetSocketAddress>> onPeers) {
        List<InetSocketAddress> fresh = r.values().stream().filter(found::add).toList();
        if (!fresh.isEmpty()) {
            try {
                onPeers.accept(fresh);
            } catch (RuntimeException e) {
                log.warn("DHT: a lookup's peer consumer failed", e);
            }
        }
    }

    /** {@code r} without ourselves among its nodes, so a lookup never asks us. */
    private KrpcMessage.Response withoutUs(KrpcMessage.Response r) {
        return new KrpcMessage.Response(r.t(), r.sender(),
                r.nodes().stream().filter(n -> !n.id().equals(id)).toList(),
                r.nodes6().stream().filter(n -> !n.id().equals(id)).toList(),
                r.values(), r.token(), r.ip());
    }

    /** Every minute, {@link #refresh}. */
    private void maintainLoop() {
        try {
            while (!closed) {
                Thread.sleep(REFRESH_CHECK);
                refresh();
                saveNodes();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /**
     * Refreshes the buckets the routing table names (BEP 5: unchanged for 15 minutes): a {@code
     * find_node} lookup for a random id in each. Returns how many lookups ran.
     */
    int refresh() {
        List<NodeId> targets;
        synchronized (table) {
            targets = table.size() == 0 ? List.of() : table.refreshTargets();
        }
        for (NodeId target : targets) {
            if (closed) {
                break;
            }
            iterate(target, false, List.of(), peers -> { });
        }
        return targets.size();
    }

    // ---- state for tests and the session ----

    public int routingTableSize() {
        synchronized (table) {
            return table.size();
        }
    }

    List<NodeContact> closestKnown(NodeId target) {
        return closest(target);
    }

    /** Datagrams that did not decode as KRPC. */
    public long malformedCount() {
        return malformed.get();
    }

    /** Responses and errors to no query of ours (unknown transaction id, or another address). */
    public long unsolicitedCount() {
        return unsolicited.get();
    }

    /** Queries left unanswered by the per-source rate limit. */
    public long rateLimitedCount() {
        return rateLimited.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        saveNodes();
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("DHT: closing the socket: {}", e.toString());
        }
        reader.interrupt();
        maintainer.interrupt();
        for (Pending p : List.copyOf(pending.values())) {
            p.future().completeExceptionally(new ClosedChannelException());
        }
        pending.clear();
    }

    @Override
    public String toString() {
        return "DhtNode[" + id + " on " + localAddress() + "]";
    }
}
