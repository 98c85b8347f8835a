"""What each simulated model is (one table per platform): :mod:`lab.identities.cisco_ios`
(Catalyst families) and :mod:`lab.identities.routeros` (RouterBOARDs).  Pure data, imported by
:mod:`lab.state` and the personalities alike."""
