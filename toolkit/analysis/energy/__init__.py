"""Stakeholder energy, the network and the follow-the-energy ranking.

The three energy-mapping tables (stakeholders, connections and votes) are
read and checked by :mod:`toolkit.model.stakeholders`.  From them:

:mod:`toolkit.analysis.energy.network`
    the network graph, centralities, hubs and bridges;
:mod:`toolkit.analysis.energy.roles`
    who has the energy (:func:`~toolkit.analysis.energy.roles.energy_table`:
    roles and quadrants) and who can introduce whom
    (:func:`~toolkit.analysis.energy.roles.introductions`);
:mod:`toolkit.analysis.energy.profile`
    where the five energies are high or depleted
    (:func:`~toolkit.analysis.energy.profile.energy_profile`);
:mod:`toolkit.analysis.energy.ranking`
    which ideas have the most energy behind them once dot votes, interview
    evidence and champions are put side by side
    (:func:`~toolkit.analysis.energy.ranking.follow_the_energy`);
:mod:`toolkit.analysis.energy.outputs`
    the files: the four tables of the ``energy`` command
    (:func:`~toolkit.analysis.energy.outputs.write_energy_tables`) and the
    map for Gephi or Kumu
    (:func:`~toolkit.analysis.energy.outputs.export_network`).

Every function returns a new table and never changes its inputs.  Bad input
raises :class:`~toolkit.errors.EnergyError` naming the file and row.
"""
