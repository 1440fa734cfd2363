package org.hypertube.torrent.dht;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The routing table (BEP 5): k-buckets split only around our own id, each node good, questionable
 * or bad by the BEP's 15-minute rules. Pure: the caller sends the pings and lookups it asks for and
 * reports back. Sanitised as the8472/mldht advises: only nodes that answered our queries enter,
 * one entry per IP address, and an address that shows up with another id loses its entry.
 */
final class RoutingTable {
    static final int K = 8;
    static final Duration GOOD_FOR = Duration.ofMinutes(15);
    static final Duration REFRESH_AFTER = Duration.ofMinutes(15);
    /** Failed queries in a row after which a node is bad (BEP 5: "several"). */
    static final int BAD_AFTER_FAILURES = 3;

    enum Status { GOOD, QUESTIONABLE, BAD }

    /** What became of a node that answered us. */
    sealed interface Admission {}

    record Added() implements Admission {}

    /** Already known: its times were renewed. */
    record Refreshed() implements Admission {}

    record Replaced(NodeContact evicted) implements Admission {}

    /**
     * Its bucket is full: ping these questionable nodes (none when the pings are already out); the
     * first to fail makes room for the newest node kept waiting.
     */
    record PingFirst(List<NodeContact> questionable) implements Admission {}

    record Refused(String reason) implements Admission {}

    private static final class Entry {
        NodeContact contact;
        Instant lastResponse;
        Instant lastQuery;
        int failures;
        boolean pingAsked;

        Entry(NodeContact contact, Instant lastResponse) {
            this.contact = contact;
            this.lastResponse = lastResponse;
        }
    }

    private static final class Bucket {
        final List<Entry> entries = new ArrayList<>(K);
        /** Nodes that answered while the bucket was full, newest last, at most K. */
        final List<Entry> candidates = new ArrayList<>(K);
        Instant changed;

        Bucket(Instant changed) {
            this.changed = changed;
        }
    }

    private NodeId own;
    private final Clock clock;
    private final RandomGenerator random;
    /** Bucket i holds ids sharing exactly i leading bits with ours; the last one, i or more. */
    private final List<Bucket> buckets = new ArrayList<>();
    private final Map<InetAddress, Entry> byAddress = new HashMap<>();

    RoutingTable(NodeId own, Clock clock, RandomGenerator random) {
        this.own = own;
        this.clock = clock;
        this.random = random;
        buckets.add(new Bucket(clock.instant()));
    }

    NodeId own() {
        return own;
    }

    /**
     * Our id changed (BEP 42, once our external address is known): the buckets are laid out again
     * around {@code newOwn}, each node keeping its times; the most recently heard win where a bucket
     * overflows, and the rest (and the waiting candidates) are forgotten.
     */
    void reseat(NodeId newOwn) {
        List<Entry> all = new ArrayList<>(byAddress.values());
        all.removeIf(e -> e.contact.id().equals(newOwn));
        all.sort(Comparator.comparing((Entry e) -> e.lastResponse).reversed());
        own = newOwn;
        buckets.clear();
        byAddress.clear();
        buckets.add(new Bucket(clock.instant()));
        for (Entry e : all) {
            Bucket b = bucketOf(e.contact.id());
            while (b.entries.size() >= K && b == buckets.getLast() && buckets.size() < NodeId.BITS) {
                split();
                b = bucketOf(e.contact.id());
            }
            if (b.entries.size() < K) {
                e.pingAsked = false;
                add(b, e);
            }
        }
    }

    /** A node answered one of our queries, from the address we sent it to, with the id we expected or learned. */
    Admission responded(NodeContact node) {
        Instant now = clock.instant();
        if (node.id().equals(own)) {
            return new Refused("our own id");
        }
        InetAddress ip = node.address().getAddress();
        Entry known = byAddress.get(ip);
        if (known != null) {
            Bucket b = bucketOf(known.contact.id());
            if (!known.contact.id().equals(node.id())) {
                b.entries.remove(known);
                byAddress.remove(ip);
                b.changed = now;
                return new Refused("address " + ip.getHostAddress() + " answered with another id; its entry is dropped");
            }
            known.contact = node; // the same node, perhaps through a new NAT port
            known.lastResponse = now;
            known.failures = 0;
            known.pingAsked = false;
            b.changed = now;
            return new Refreshed();
        }
        Bucket b = bucketOf(node.id());
        if (b.entries.stream().anyMatch(e -> e.contact.id().equals(node.id()))) {
            return new Refused("id " + node.id() + " is already in the table at another address");
        }
        while (b.entries.size() >= K && b == buckets.getLast() && buckets.size() < NodeId.BITS) {
            split();
            b = bucketOf(node.id());
        }
        Entry entry = new Entry(node, now);
        if (b.entries.size() < K) {
            add(b, entry);
            return new Added();
        }
        Entry worst = replaceable(b);
        if (worst != null) {
            remove(b, worst);
            add(b, entry);
            return new Replaced(worst.contact);
        }
        remember(b, entry);
        List<NodeContact> toPing = b.entries.stream()
                .filter(e -> status(e, now) == Status.QUESTIONABLE && !e.pingAsked)
                .sorted(Comparator.comparing((Entry e) -> e.lastResponse))
                .peek(e -> e.pingAsked = true)
                .map(e -> e.contact)
                .toList();
        boolean pending = b.entries.stream().anyMatch(e -> e.pingAsked);
        return toPing.isEmpty() && !pending ? new Refused("bucket full of good nodes") : new PingFirst(toPing);
    }

    /** A node queried us: it stays good if it is in the table; it never enters the table this way. */
    void queried(NodeContact node) {
        Entry e = byAddress.get(node.address().getAddress());
        if (e != null && e.contact.equals(node)) {
            e.lastQuery = clock.instant();
        }
    }

    /**
     * A query to this node went unanswered. A node that has become replaceable gives its place to
     * the newest node that answered while its bucket was full, if any.
     */
    void failed(NodeContact node) {
        Entry e = byAddress.get(node.address().getAddress());
        if (e == null || !e.contact.equals(node)) {
            return;
        }
        e.failures++;
        e.pingAsked = false;
        Bucket b = bucketOf(node.id());
        if (isReplaceable(e, clock.instant())) {
            while (!b.candidates.isEmpty()) {
                Entry c = b.candidates.removeLast();
                if (!byAddress.containsKey(c.contact.address().getAddress())) {
                    remove(b, e);
                    add(b, c);
                    return;
                }
            }
        }
    }

    Status status(NodeContact node) {
        Entry e = byAddress.get(node.address().getAddress());
        if (e == null || !e.contact.equals(node)) {
            throw new IllegalArgumentException(node + " is not in the table");
        }
        return status(e, clock.instant());
    }

    private static Status status(Entry e, Instant now) {
        if (e.failures >= BAD_AFTER_FAILURES) {
            return Status.BAD;
        }
        // Every entry answered once; one that queried us lately since is still good (BEP 5).
        boolean answered = now.isBefore(e.lastResponse.plus(GOOD_FOR));
        boolean queried = e.lastQuery != null && now.isBefore(e.lastQuery.plus(GOOD_FOR));
        return answered || queried ? Status.GOOD : Status.QUESTIONABLE;
    }

    /** Bad nodes first, then questionable ones that failed a query; null when none. */
    private Entry replaceable(Bucket b) {
        Instant now = clock.instant();
        return b.entries.stream()
                .filter(e -> isReplaceable(e, now))
                .max(Comparator.comparingInt((Entry e) -> e.failures).thenComparing(e -> e.lastResponse, Comparator.reverseOrder()))
                .orElse(null);
    }

    private static boolean isReplaceable(Entry e, Instant now) {
        Status s = status(e, now);
        return s == Status.BAD || (s == Status.QUESTIONABLE && e.failures > 0);
    }

    /**
     * Ids to look up (find_node) to refresh the buckets unchanged for 15 minutes, one random id in
     * each such bucket's range. Each bucket named counts as changed now, so it is named once per
     * 15 minutes at most.
     */
    List<NodeId> refreshTargets() {
        Instant now = clock.instant();
        List<NodeId> out = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (!now.isBefore(b.changed.plus(REFRESH_AFTER))) {
                b.changed = now;
                out.add(NodeId.randomWithPrefix(own, i, i < buckets.size() - 1, random));
            }
        }
        return out;
    }

    /** Up to {@code n} nodes closest to {@code target}, bad ones left out, closest first. */
    List<NodeContact> closest(NodeId target, int n) {
        Instant now = clock.instant();
        return byAddress.values().stream()
                .filter(e -> status(e, now) != Status.BAD)
                .map(e -> e.contact)
                .sorted((a, b) -> target.closer(a.id(), b.id()))
                .limit(n)
                .toList();
    }

    int size() {
        return byAddress.size();
    }

    /** Whether a node of the table is at {@code address} (IP and port). */
    boolean knows(java.net.InetSocketAddress address) {
        Entry e = byAddress.get(address.getAddress());
        return e != null && e.contact.address().equals(address);
    }

    int bucketCount() {
        return buckets.size();
    }

    /** The nodes of bucket {@code i}, for tests and persistence. */
    List<NodeContact> bucket(int i) {
        return buckets.get(i).entries.stream().map(e -> e.contact).toList();
    }

    private Bucket bucketOf(NodeId id) {
        return buckets.get(Math.min(own.commonPrefixLength(id), buckets.size() - 1));
    }

    private void split() {
        Bucket last = buckets.getLast();
        int depth = buckets.size() - 1;
        Bucket next = new Bucket(clock.instant());
        last.entries.removeIf(e -> own.commonPrefixLength(e.contact.id()) > depth && next.entries.add(e));
        last.candidates.removeIf(e -> own.commonPrefixLength(e.contact.id()) > depth && next.candidates.add(e));
        buckets.add(next);
    }

    private void add(Bucket b, Entry e) {
        b.entries.add(e);
        byAddress.put(e.contact.address().getAddress(), e);
        b.candidates.removeIf(c -> c.contact.address().getAddress().equals(e.contact.address().getAddress()));
        b.changed = clock.instant();
    }

    private void remove(Bucket b, Entry e) {
        b.entries.remove(e);
        byAddress.remove(e.contact.address().getAddress());
    }

    private static void remember(Bucket b, Entry candidate) {
        b.candidates.removeIf(c -> c.contact.address().getAddress().equals(candidate.contact.address().getAddress()));
        if (b.candidates.size() == K) {
            b.candidates.removeFirst();
        }
        b.candidates.add(candidate);
    }
}
