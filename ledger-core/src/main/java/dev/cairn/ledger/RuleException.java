package dev.cairn.ledger;

/** A ledger record breaks a rule; the message says which, in words a client can act on. */
public class RuleException extends RuntimeException {

    public RuleException(String message) {
        super(message);
    }
}
