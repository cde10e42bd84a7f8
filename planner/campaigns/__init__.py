"""Campaigns as a week's playbook, one module per concern:

- playbook: the rules (Need, Ban, Before, Task) and the Playbook holding them
- build: `playbook(ws, week_start, history)`, which assembles the steps below
- builder: the steps' shared way of adding a need, a ban or a window
- kinds: one function per campaign kind of campaigns.yaml
- dissolve: the end of a short-event group, also without a campaign
- windows: a binding's own day and time, a festival's days
- locks: the user's locks.yaml
- memory: cooldowns and once-items reaching across weeks
- timeline: the stage timeline, advanced by playbooks (`stage_on`)
"""
