package org.hypertube.torrent.dht;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * One iterative lookup (BEP 5's {@code find_node}/{@code get_peers} walk) as a pure state machine:
 * {@link #next} names whom to query (at most α at a time, closest first), the caller reports each
 * {@link #answered answer} or {@link #failed time-out}, and the lookup is {@link #done} once the k
 * closest nodes it knows of have all answered. Peers ({@code values}) are not its business: the
 * caller hands them on as they come. With BEP 42 enforced, nodes whose id does not fit their address
 * are still asked (they route) but neither count towards the end nor appear in the result
 * (SWARM.md: enforce ids only there, as libtorrent does).
 *
 * <p>A query unanswered after {@link #SHORT_TIMEOUT_MILLIS} {@linkplain #stall stalls}: it no longer
 * holds one of the α slots, so the next candidate is asked at once, yet its answer still counts if it
 * comes before the query's real time-out (libtorrent's "short timeout"). Dead nodes, which fill every
 * routing table, then cost a lookup half a second each instead of a whole time-out. Time is passed in
 * (milliseconds on any monotonic clock), so the policy runs on a manual clock in tests.
 */
final class Lookup {
    static final int ALPHA = 3;
    static final int K = RoutingTable.K;
    /** Candidates kept, closest first; liars cannot grow the lookup past this. */
    static final int MAX_CANDIDATES = 128;
    /** How long a query holds its α slot. */
    static final long SHORT_TIMEOUT_MILLIS = 500;

    private enum State { NEW, QUERIED, ANSWERED, FAILED }

    private static final class Candidate {
        final NodeContact contact;
        final boolean secure;
        State state = State.NEW;
        Token token;
        long sentAt;
        /** Queried, unanswered past the short time-out: no longer counted in flight. */
        boolean stalled;

        Candidate(NodeContact contact) {
            this.contact = contact;
            this.secure = contact.id().isSecureFor(contact.address().getAddress());
        }
    }

    private final NodeId target;
    /** By distance to the target. */
    private final TreeMap<NodeId, Candidate> candidates = new TreeMap<>();
    /** One node per IP per lookup (libtorrent's {@code dht_restrict_search_ips}). */
    private final Set<InetAddress> addresses = new HashSet<>();
    private final boolean enforceIds;
    private int inFlight;
    private int queries;

    Lookup(NodeId target, List<NodeContact> start) {
        this(target, start, false);
    }

    /** With {@code enforceIds}, only nodes whose ids follow BEP 42 for their addresses count. */
    Lookup(NodeId target, List<NodeContact> start, boolean enforceIds) {
        this.target = target;
        this.enforceIds = enforceIds;
        start.forEach(this::learn);
    }

    private boolean counts(Candidate c) {
        return c.state == State.ANSWERED && (c.secure || !enforceIds);
    }

    NodeId target() {
        return target;
    }

    /** {@link #next(long)} at time 0, for callers that never {@link #stall}. */
    List<NodeContact> next() {
        return next(0);
    }

    /**
     * The nodes to query at {@code nowMillis} (marked as queried then), closest first; empty when α
     * are out or nothing is worth asking.
     */
    List<NodeContact> next(long nowMillis) {
        List<NodeContact> out = new ArrayList<>();
        int rank = 0;
        for (Candidate c : candidates.values()) {
            if (inFlight >= ALPHA || rank >= K) {
                break;
            }
            switch (c.state) {
                case FAILED -> {}
                case NEW -> {
                    c.state = State.QUERIED;
                    c.sentAt = nowMillis;
                    inFlight++;
                    queries++;
                    out.add(c.contact);
                    rank++;
                }
                case QUERIED -> rank++;
                case ANSWERED -> rank += counts(c) ? 1 : 0;
            }
        }
        return out;
    }

    /**
     * {@code from} answered with {@code response}. An answer from a node not being queried, or
     * with another id than the one we queried, counts as a failure of that node.
     */
    void answered(NodeContact from, KrpcMessage.Response response) {
        Candidate c = queried(from);
        if (c == null) {
            return;
        }
        release(c);
        if (!response.sender().equals(from.id())) {
            c.state = State.FAILED;
            return;
        }
        c.state = State.ANSWERED;
        c.token = response.token().orElse(null);
        response.nodes().forEach(this::learn);
        response.nodes6().forEach(this::learn);
    }

    /** The query to {@code from} timed out (or could not be sent). */
    void failed(NodeContact from) {
        Candidate c = queried(from);
        if (c != null) {
            release(c);
            c.state = State.FAILED;
        }
    }

    private void release(Candidate c) {
        if (!c.stalled) {
            inFlight--;
        }
    }

    /**
     * Stalls the queries sent {@value #SHORT_TIMEOUT_MILLIS} ms or more before {@code nowMillis}: their
     * slots go to the next candidates ({@link #next(long)}); they stay queried. Returns the nodes stalled now.
     */
    List<NodeContact> stall(long nowMillis) {
        List<NodeContact> out = new ArrayList<>();
        for (Candidate c : candidates.values()) {
            if (c.state == State.QUERIED && !c.stalled && nowMillis - c.sentAt >= SHORT_TIMEOUT_MILLIS) {
                c.stalled = true;
                inFlight--;
                out.add(c.contact);
            }
        }
        return out;
    }

    /** When the next query in flight would {@linkplain #stall stall}, or {@link Long#MAX_VALUE} if none would. */
    long nextStall() {
        long at = Long.MAX_VALUE;
        for (Candidate c : candidates.values()) {
            if (c.state == State.QUERIED && !c.stalled) {
                at = Math.min(at, c.sentAt + SHORT_TIMEOUT_MILLIS);
            }
        }
        return at;
    }

    /**
     * {@code from}, asked outside this lookup (a bootstrap node, whose id was unknown), answered with
     * {@code response}: it joins as answered, unless already queried here, and what it names is learnt.
     */
    void answeredElsewhere(NodeContact from, KrpcMessage.Response response) {
        learn(from);
        Candidate c = candidates.get(from.id().distance(target));
        if (c != null && c.state == State.NEW && c.contact.equals(from)) {
            c.state = State.ANSWERED;
            c.token = response.token().orElse(null);
        }
        response.nodes().forEach(this::learn);
        response.nodes6().forEach(this::learn);
    }

    /** Whether the k closest nodes still in the running have all answered (or none is left to ask). */
    boolean done() {
        int rank = 0;
        for (Candidate c : candidates.values()) {
            if (rank >= K) {
                break;
            }
            switch (c.state) {
                case FAILED -> {}
                case ANSWERED -> rank += counts(c) ? 1 : 0;
                case NEW, QUERIED -> {
                    return false;
                }
            }
        }
        return true;
    }

    /** The k closest nodes that answered, closest first. */
    List<NodeContact> closest() {
        return answered().stream().map(c -> c.contact).limit(K).toList();
    }

    /** The k closest answered nodes that gave a token, with it: where to {@code announce_peer}. */
    List<Announce> announceTargets() {
        return answered().stream().filter(c -> c.token != null).limit(K).map(c -> new Announce(c.contact, c.token)).toList();
    }

    record Announce(NodeContact node, Token token) {}

    /** Queries sent so far. */
    int queries() {
        return queries;
    }

    private List<Candidate> answered() {
        return candidates.values().stream().filter(this::counts).toList();
    }

    private Candidate queried(NodeContact from) {
        Candidate c = candidates.get(from.id().distance(target));
        return c != null && c.state == State.QUERIED && c.contact.equals(from) ? c : null;
    }

    private void learn(NodeContact n) {
        NodeId d = n.id().distance(target);
        if (candidates.containsKey(d) || addresses.contains(n.address().getAddress())) {
            return;
        }
        if (candidates.size() >= MAX_CANDIDATES) {
            NodeId farthest = candidates.lastKey();
            Candidate f = candidates.get(farthest);
            // Only a candidate nobody waits on can make room, and only for a closer one.
            if (d.compareTo(farthest) > 0 || f.state == State.QUERIED || f.state == State.ANSWERED) {
                return;
            }
            candidates.remove(farthest);
            addresses.remove(f.contact.address().getAddress());
        }
        candidates.put(d, new Candidate(n));
        addresses.add(n.address().getAddress());
    }
}
