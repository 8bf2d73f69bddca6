package dev.leakscope.core;

/**
 * NT_PRPSINFO: what {@code ps} would have said about the process.
 *
 * @param state   pr_sname ('R', 'S', 'D'…)
 * @param pid     pr_pid
 * @param ppid    pr_ppid
 * @param pgrp    pr_pgrp
 * @param sid     pr_sid
 * @param uid     pr_uid
 * @param gid     pr_gid
 * @param command pr_fname: the executable name, at most 15 characters
 * @param args    pr_psargs: the command line, arguments separated by spaces; the kernel keeps 79 bytes of it,
 *                so a longer one ends in {@code …}
 */
public record ProcessInfo(char state, int pid, int ppid, int pgrp, int sid, int uid, int gid, String command,
                          String args) {
}
