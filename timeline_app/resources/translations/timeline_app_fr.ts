<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>Category</name>
    <message>
        <source>attack</source>
        <translation>attaque</translation>
    </message>
    <message>
        <source>mourning</source>
        <translation>deuil</translation>
    </message>
    <message>
        <source>withdrawal</source>
        <translation>retrait</translation>
    </message>
    <message>
        <source>blockade</source>
        <translation>blocus</translation>
    </message>
    <message>
        <source>statement</source>
        <translation>déclaration</translation>
    </message>
    <message>
        <source>other</source>
        <translation>autre</translation>
    </message>
</context>
<context>
    <name>Cells</name>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <source>week of {date}</source>
        <translation>semaine du {date}</translation>
    </message>
    <message>
        <source>{start} – ongoing (as of {date})</source>
        <translation>{start} – en cours (au {date})</translation>
    </message>
</context>
<context>
    <name>ImportReport</name>
    <message>
        <source>Read as &lt;b&gt;{format}&lt;/b&gt; ({encoding})</source>
        <translation>Lu comme &lt;b&gt;{format}&lt;/b&gt; ({encoding})</translation>
    </message>
    <message>
        <source>Data rows in the file</source>
        <translation>Lignes de données du fichier</translation>
    </message>
    <message>
        <source>Events loaded</source>
        <translation>Événements chargés</translation>
    </message>
    <message>
        <source>Rows merged into another event</source>
        <translation>Lignes fusionnées dans un autre événement</translation>
    </message>
    <message>
        <source>Rows rejected</source>
        <translation>Lignes rejetées</translation>
    </message>
    <message>
        <source>Rejected, by reason</source>
        <translation>Rejets, par motif</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>Exemples</translation>
    </message>
    <message>
        <source>line {number}</source>
        <translation>ligne {number}</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Remarques</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <source>Import report — {name}</source>
        <translation>Rapport d&apos;importation — {name}</translation>
    </message>
    <message>
        <source>Import report</source>
        <translation>Rapport d&apos;importation</translation>
    </message>
</context>
<context>
    <name>LaneAxis</name>
    <message>
        <source>{lane}: {count} events</source>
        <translation>{lane} : {count} événements</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>&amp;System</source>
        <translation>&amp;Système</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>The language changes once loading ends…</source>
        <translation>La langue changera à la fin du chargement…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Event tables (*.csv *.tsv *.txt *.xlsx *.parquet *.json *.geojson);;CSV (*.csv *.tsv *.txt);;Excel (*.xlsx);;Parquet (*.parquet);;GeoJSON (*.geojson *.json);;All files (*)</source>
        <translation>Tables d&apos;événements (*.csv *.tsv *.txt *.xlsx *.parquet *.json *.geojson);;CSV (*.csv *.tsv *.txt);;Excel (*.xlsx);;Parquet (*.parquet);;GeoJSON (*.geojson *.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Événements</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>Filtres</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Carte</translation>
    </message>
    <message>
        <source>Loading progress</source>
        <translation>Progression du chargement</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel loading</source>
        <translation>Annuler le chargement</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Ouvrir…</translation>
    </message>
    <message>
        <source>Open &amp;As…</source>
        <translation>Ouvrir &amp;comme…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Fichiers &amp;récents</translation>
    </message>
    <message>
        <source>&amp;Close File</source>
        <translation>&amp;Fermer un fichier</translation>
    </message>
    <message>
        <source>Close A&amp;ll Files</source>
        <translation>Fermer &amp;tous les fichiers</translation>
    </message>
    <message>
        <source>Open &amp;Boundaries…</source>
        <translation>Ouvrir des &amp;limites administratives…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exporter…</translation>
    </message>
    <message>
        <source>Export &amp;Map Image…</source>
        <translation>Exporter l&apos;image de la &amp;carte…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <source>&amp;Copy Event</source>
        <translation>&amp;Copier l&apos;événement</translation>
    </message>
    <message>
        <source>Clear &amp;Selection</source>
        <translation>Effacer la &amp;sélection</translation>
    </message>
    <message>
        <source>&amp;Export Selection…</source>
        <translation>&amp;Exporter la sélection…</translation>
    </message>
    <message>
        <source>&amp;Copy Rows</source>
        <translation>Copier les &amp;lignes</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>Last &amp;Import Report…</source>
        <translation>Dernier rapport d&apos;&amp;importation…</translation>
    </message>
    <message>
        <source>&amp;Frequencies</source>
        <translation>&amp;Fréquences</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>À &amp;propos</translation>
    </message>
    <message>
        <source>Open event files</source>
        <translation>Ouvrir des fichiers d&apos;événements</translation>
    </message>
    <message>
        <source>Loading {name} cancelled</source>
        <translation>Chargement de {name} annulé</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>Chargement de {name}…</translation>
    </message>
    <message>
        <source>Open event file as…</source>
        <translation>Ouvrir un fichier d&apos;événements comme…</translation>
    </message>
    <message>
        <source>Open as</source>
        <translation>Ouvrir comme</translation>
    </message>
    <message>
        <source>Read the file as:</source>
        <translation>Lire le fichier comme :</translation>
    </message>
    <message>
        <source>Loaded {name}: {events} events</source>
        <translation>{name} chargé : {events} événements</translation>
    </message>
    <message>
        <source>, {rejected} rows rejected</source>
        <translation>, {rejected} lignes rejetées</translation>
    </message>
    <message>
        <source>Could not open file</source>
        <translation>Impossible d&apos;ouvrir le fichier</translation>
    </message>
    <message>
        <source>Exported {rows} rows to {path}</source>
        <translation>{rows} lignes exportées vers {path}</translation>
    </message>
    <message>
        <source>Frequencies</source>
        <translation>Fréquences</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <source>Closed {name}</source>
        <translation>{name} fermé</translation>
    </message>
    <message>
        <source>Closed all files</source>
        <translation>Tous les fichiers sont fermés</translation>
    </message>
    <message>
        <source>{name}  ({events} events)</source>
        <translation>{name}  ({events} événements)</translation>
    </message>
    <message>
        <source>(none open)</source>
        <translation>(aucun ouvert)</translation>
    </message>
    <message>
        <source>no file open</source>
        <translation>aucun fichier ouvert</translation>
    </message>
    <message>
        <source>{app} — {names} — {events} events</source>
        <translation>{app} — {names} — {events} événements</translation>
    </message>
    <message>
        <source>{shown} of {total} events</source>
        <translation>{shown} sur {total} événements</translation>
    </message>
    <message>
        <source>, {selected} selected</source>
        <translation>, {selected} sélectionnés</translation>
    </message>
    <message>
        <source>; {unlocated} without coordinates left out by the map filter</source>
        <translation> ; {unlocated} sans coordonnées écartés par le filtre de la carte</translation>
    </message>
</context>
</TS>
