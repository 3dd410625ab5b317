/**
 * The module registry: every playbook key that maps to a module folder. Adding a module =
 * adding its folder and one line here. Engine actions (set_fact, debug, ...) are not here.
 */
import type { ModuleDef } from '../src/module-api/index.js';
import blockinfile from './blockinfile/index.js';
import copy from './copy/index.js';
import hosts_entries from './hosts_entries/index.js';
import lineinfile from './lineinfile/index.js';
import replace from './replace/index.js';
import template from './template/index.js';
import command from './command/index.js';
import file from './file/index.js';
import hostname from './hostname/index.js';
import modprobe from './modprobe/index.js';
import selinux from './selinux/index.js';
import swapoff from './swapoff/index.js';
import sysctl from './sysctl/index.js';
import systemd_unit from './systemd_unit/index.js';
import wait_for from './wait_for/index.js';
import get_url from './get_url/index.js';
import user from './user/index.js';
import group from './group/index.js';
import shell from './shell/index.js';
import firewalld from './firewalld/index.js';
import pkg from './package/index.js';
import apt_repository from './apt_repository/index.js';
import yum_repository from './yum_repository/index.js';
import k3s_install from './k3s_install/index.js';
import k3s_etcd_member from './k3s_etcd_member/index.js';
import keepalived from './keepalived/index.js';
import haproxy from './haproxy/index.js';
import etcd_pki from './etcd_pki/index.js';
import etcd_cluster from './etcd_cluster/index.js';
import etcd_member from './etcd_member/index.js';
import etcd_member_update from './etcd_member_update/index.js';
import etcd_check from './etcd_check/index.js';
import k3s_datastore from './k3s_datastore/index.js';
import kubeadm_init from './kubeadm_init/index.js';
import kubeadm_join from './kubeadm_join/index.js';
import kubeadm_reset from './kubeadm_reset/index.js';
import kubectl_apply from './kubectl_apply/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = ModuleDef<any, any>;

const modules: readonly AnyModule[] = [copy, template, lineinfile, blockinfile, replace, hosts_entries, command, file, sysctl, swapoff, systemd_unit, wait_for, get_url, user, group, shell, firewalld, selinux, pkg, apt_repository, yum_repository, modprobe, hostname, keepalived, haproxy, etcd_pki, etcd_cluster, etcd_member, etcd_member_update, etcd_check, k3s_datastore, k3s_install, k3s_etcd_member, kubeadm_init, kubeadm_join, kubeadm_reset, kubectl_apply];

export const moduleRegistry: ReadonlyMap<string, AnyModule> = new Map(modules.map((m) => [m.name, m]));
