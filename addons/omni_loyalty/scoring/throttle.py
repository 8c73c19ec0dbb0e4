"""Alert-flood protection for campaigns."""


def split_alerts(alerts, already_sent, limit):
    """Split ``alerts`` (ordered by priority) into (send, digest).

    At most ``limit`` alerts per partner and period are sent one by one; ``already_sent`` is
    how many went out earlier in the same period. Everything beyond goes into one digest.
    ``limit <= 0`` means no limit.
    """
    alerts = list(alerts)
    if limit <= 0:
        return alerts, []
    room = max(limit - already_sent, 0)
    return alerts[:room], alerts[room:]
