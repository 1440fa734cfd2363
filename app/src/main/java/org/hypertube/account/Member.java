package org.hypertube.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;

/** A person with an account. Username and e-mail are unique ignoring case (the *_key columns). */
@Entity
@Table(name = "members")
public class Member {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String email;
    @Column(name = "email_key")
    private String emailKey;
    private String username;
    @Column(name = "username_key")
    private String usernameKey;
    private String firstName;
    private String lastName;
    private String passwordHash;
    private String language = "en";
    private String picture;
    private boolean admin;
    private boolean emailVerified;
    private int credentialsVersion;
    private Instant createdAt;

    protected Member() {
    }

    Member(String email, String username, String firstName, String lastName, String language, Instant createdAt) {
        setEmail(email);
        setUsername(username);
        this.firstName = firstName;
        this.lastName = lastName;
        this.language = language;
        this.createdAt = createdAt;
    }

    static String key(String value) {
        return value.strip().toLowerCase(Locale.ROOT);
    }

    public Long getId() { return id; }
    public String getEmail() { return email; }
    public String getUsername() { return username; }
    public String getFirstName() { return firstName; }
    public String getLastName() { return lastName; }
    public String getLanguage() { return language; }
    public boolean isAdmin() { return admin; }
    public Instant getCreatedAt() { return createdAt; }
    public boolean hasPicture() { return picture != null; }
    String getPicture() { return picture; }
    String getPasswordHash() { return passwordHash; }
    public boolean hasPassword() { return passwordHash != null; }
    public boolean isEmailVerified() { return emailVerified; }
    int getCredentialsVersion() { return credentialsVersion; }
    String getEmailKey() { return emailKey; }
    String getUsernameKey() { return usernameKey; }

    /** A new address (ignoring case) is unverified until its link is opened. */
    void setEmail(String email) {
        String newKey = key(email);
        if (!newKey.equals(emailKey)) {
            emailVerified = false;
        }
        this.email = email.strip();
        this.emailKey = newKey;
    }

    void markEmailVerified() { this.emailVerified = true; }

    /** Ends every session and token issued before: called when the password or the role changes. */
    void endSessions() { this.credentialsVersion++; }

    void setUsername(String username) {
        this.username = username.strip();
        this.usernameKey = key(username);
    }

    void setNames(String firstName, String lastName) {
        this.firstName = firstName.strip();
        this.lastName = lastName.strip();
    }

    void setLanguage(String language) { this.language = language; }
    void setPicture(String picture) { this.picture = picture; }
    void setPasswordHash(String passwordHash) { this.passwordHash = passwordHash; }
    void setAdmin(boolean admin) { this.admin = admin; }
}
