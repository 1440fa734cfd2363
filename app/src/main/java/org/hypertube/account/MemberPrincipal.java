package org.hypertube.account;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.oauth2.core.user.OAuth2User;

/** The signed-in member, the same whether they came by password or by an OAuth2 provider. */
public final class MemberPrincipal implements UserDetails, OAuth2User, CredentialsContainer, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final long id;
    private final String username;
    private final String language;
    private final boolean admin;
    private final int credentialsVersion;
    private String passwordHash;

    MemberPrincipal(Member member) {
        this.id = member.getId();
        this.username = member.getUsername();
        this.language = member.getLanguage();
        this.admin = member.isAdmin();
        this.credentialsVersion = member.getCredentialsVersion();
        this.passwordHash = member.getPasswordHash();
    }

    public long id() { return id; }

    public String username() { return username; }

    public String language() { return language; }

    public boolean admin() { return admin; }

    /** The member's credentials version when they signed in; see {@link SessionGuard}. */
    public int credentialsVersion() { return credentialsVersion; }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return admin
                ? List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_ADMIN"))
                : List.of(new SimpleGrantedAuthority("ROLE_USER"));
    }

    @Override
    public String getPassword() { return passwordHash; }

    @Override
    public String getUsername() { return username; }

    @Override
    public String getName() { return username; }

    @Override
    public Map<String, Object> getAttributes() { return Map.of("id", id, "username", username); }

    @Override
    public void eraseCredentials() { passwordHash = null; }

    @Override
    public String toString() { return "Member[" + id + " " + username + "]"; }
}
