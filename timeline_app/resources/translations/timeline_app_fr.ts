<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>About</name>
    <message>
        <source>{events} events</source>
        <translation>{events} événements</translation>
    </message>
    <message>
        <source>Licence: {licence}</source>
        <translation>Licence : {licence}</translation>
    </message>
    <message>
        <source>Cite: {citation}</source>
        <translation>Citer : {citation}</translation>
    </message>
    <message>
        <source>not stated — check the source</source>
        <translation>non indiquée — voir la source</translation>
    </message>
    <message>
        <source>Load, filter, see and export political-violence event data.</source>
        <translation>Charger, filtrer, voir et exporter des données d&apos;événements de violence politique.</translation>
    </message>
    <message>
        <source>Open datasets</source>
        <translation>Jeux de données ouverts</translation>
    </message>
    <message>
        <source>Bundled sample data</source>
        <translation>Données d&apos;exemple fournies</translation>
    </message>
    <message>
        <source>Map boundaries</source>
        <translation>Limites de la carte</translation>
    </message>
    <message>
        <source>Data you load</source>
        <translation>Les données que vous chargez</translation>
    </message>
    <message>
        <source>ACLED, UCDP, GTD and GDELT data keep their own licences and terms of use: ACLED and GTD data may not be redistributed; UCDP data are CC BY 4.0; GDELT is free to use with attribution. Cite each source you export; every export&apos;s provenance file lists them.</source>
        <translation>Les données ACLED, UCDP, GTD et GDELT gardent leurs propres licences et conditions d&apos;utilisation : les données ACLED et GTD ne peuvent pas être redistribuées ; les données UCDP sont sous CC BY 4.0 ; GDELT est libre d&apos;utilisation avec attribution. Citez chaque source que vous exportez ; le fichier de provenance de chaque export les énumère.</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>À propos d&apos;{app}</translation>
    </message>
    <message>
        <source>About this app</source>
        <translation>À propos de cette application</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Focus</source>
        <translation>A&amp;ller à</translation>
    </message>
    <message>
        <source>&amp;Timeline</source>
        <translation>&amp;Chronologie</translation>
    </message>
    <message>
        <source>&amp;Lanes by</source>
        <translation>&amp;Lignes par</translation>
    </message>
    <message>
        <source>T&amp;heme</source>
        <translation>T&amp;hème</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Outils</translation>
    </message>
    <message>
        <source>S&amp;how</source>
        <translation>&amp;Afficher</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
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
        <source>Open &amp;Boundaries…</source>
        <translation>Ouvrir des &amp;limites administratives…</translation>
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
        <source>Open &amp;Workspace…</source>
        <translation>Ouvrir un espace de tra&amp;vail…</translation>
    </message>
    <message>
        <source>Recent W&amp;orkspaces</source>
        <translation>Espaces de travail réce&amp;nts</translation>
    </message>
    <message>
        <source>&amp;Save Workspace</source>
        <translation>Enregi&amp;strer l&apos;espace de travail</translation>
    </message>
    <message>
        <source>Save Workspace &amp;As…</source>
        <translation>Enregistrer l&apos;espace de travail s&amp;ous…</translation>
    </message>
    <message>
        <source>Reopen Last Workspace on Start</source>
        <translation>Rouvrir le dernier espace de travail au démarrage</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exporter…</translation>
    </message>
    <message>
        <source>Save as &amp;Parquet Dataset…</source>
        <translation>Enregistrer en jeu de données &amp;Parquet…</translation>
    </message>
    <message>
        <source>Export &amp;Map Image…</source>
        <translation>Exporter l&apos;image de la &amp;carte…</translation>
    </message>
    <message>
        <source>Export Timeline Image…</source>
        <translation>Exporter l&apos;image de la chronologie…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rétablir</translation>
    </message>
    <message>
        <source>Cop&amp;y Rows</source>
        <translation>Copier les &amp;lignes</translation>
    </message>
    <message>
        <source>&amp;Copy Event</source>
        <translation>&amp;Copier l&apos;événement</translation>
    </message>
    <message>
        <source>&amp;Export Selection…</source>
        <translation>&amp;Exporter la sélection…</translation>
    </message>
    <message>
        <source>Clear &amp;Selection</source>
        <translation>Effacer la &amp;sélection</translation>
    </message>
    <message>
        <source>Show Filters</source>
        <translation>Afficher les filtres</translation>
    </message>
    <message>
        <source>Show Events</source>
        <translation>Afficher les événements</translation>
    </message>
    <message>
        <source>Show Timeline</source>
        <translation>Afficher la chronologie</translation>
    </message>
    <message>
        <source>Show Details</source>
        <translation>Afficher les détails</translation>
    </message>
    <message>
        <source>Show Map</source>
        <translation>Afficher la carte</translation>
    </message>
    <message>
        <source>Show Trends</source>
        <translation>Afficher les tendances</translation>
    </message>
    <message>
        <source>Go to Filters</source>
        <translation>Aller aux filtres</translation>
    </message>
    <message>
        <source>Go to Events</source>
        <translation>Aller aux événements</translation>
    </message>
    <message>
        <source>Go to Timeline</source>
        <translation>Aller à la chronologie</translation>
    </message>
    <message>
        <source>Go to Details</source>
        <translation>Aller aux détails</translation>
    </message>
    <message>
        <source>Go to Map</source>
        <translation>Aller à la carte</translation>
    </message>
    <message>
        <source>Go to Trends</source>
        <translation>Aller aux tendances</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>&amp;Réinitialiser la disposition</translation>
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
        <source>Zoom to Selection</source>
        <translation>Zoom sur la sélection</translation>
    </message>
    <message>
        <source>Fit All</source>
        <translation>Tout voir</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Zoom avant</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Zoom arrière</translation>
    </message>
    <message>
        <source>Pan Left</source>
        <translation>Défiler vers la gauche</translation>
    </message>
    <message>
        <source>Pan Right</source>
        <translation>Défiler vers la droite</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Précédent</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Suivant</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Acteur</translation>
    </message>
    <message>
        <source>Region (admin1)</source>
        <translation>Région (admin1)</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Type d&apos;événement</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <source>Mourning/Blockade &amp;Bands</source>
        <translation>&amp;Bandes deuil/blocus</translation>
    </message>
    <message>
        <source>Filter to Range</source>
        <translation>Filtrer sur la plage</translation>
    </message>
    <message>
        <source>Clear Range</source>
        <translation>Effacer la plage</translation>
    </message>
    <message>
        <source>Export Range…</source>
        <translation>Exporter la plage…</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;Système</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Clair</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>S&amp;ombre</translation>
    </message>
    <message>
        <source>Find Likely &amp;Same Events…</source>
        <translation>Trouver les événements probablement &amp;identiques…</translation>
    </message>
    <message>
        <source>&amp;Forget Likely-Same Pairs</source>
        <translation>&amp;Oublier les paires probablement identiques</translation>
    </message>
    <message>
        <source>All Events</source>
        <translation>Tous les événements</translation>
    </message>
    <message>
        <source>Matched Events Only</source>
        <translation>Événements appariés seulement</translation>
    </message>
    <message>
        <source>Unmatched Events Only</source>
        <translation>Événements non appariés seulement</translation>
    </message>
    <message>
        <source>Leave Out the Second Dataset&apos;s Matched Events</source>
        <translation>Écarter les événements appariés du second jeu de données</translation>
    </message>
    <message>
        <source>Match Actors Through the &amp;Dictionary</source>
        <translation>Apparier les acteurs par le &amp;dictionnaire</translation>
    </message>
    <message>
        <source>Include &amp;Uncertain Attributions</source>
        <translation>Inclure les attributions &amp;incertaines</translation>
    </message>
    <message>
        <source>Actor Dictionary…</source>
        <translation>Dictionnaire des acteurs…</translation>
    </message>
    <message>
        <source>Actors Across Datasets…</source>
        <translation>Acteurs entre jeux de données…</translation>
    </message>
    <message>
        <source>&amp;Compare Before and After…</source>
        <translation>&amp;Comparer avant et après…</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts…</source>
        <translation>&amp;Raccourcis clavier…</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>Ouvrir le dossier du &amp;journal</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>À &amp;propos</translation>
    </message>
</context>
<context>
    <name>ActorDictionaryDialog</name>
    <message>
        <source>Actor dictionary (*.csv);;All files (*)</source>
        <translation>Dictionnaire des acteurs (*.csv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Actor Dictionary</source>
        <translation>Dictionnaire des acteurs</translation>
    </message>
    <message>
        <source>The shipped dictionary has {shipped} sourced entries (read-only, timeline_app/model/actor_dictionary.csv). Your entries below apply as well. dataset: acled, ucdp, gtd, gdelt or any; raw_name may use * for any text; country: names separated by ;; dates YYYY-MM-DD; certainty: certain or uncertain.</source>
        <translation>Le dictionnaire fourni compte {shipped} entrées sourcées (en lecture seule, timeline_app/model/actor_dictionary.csv). Vos entrées ci-dessous s&apos;appliquent aussi. dataset : acled, ucdp, gtd, gdelt ou any ; raw_name peut contenir * pour n&apos;importe quel texte ; country : noms séparés par ; ; dates AAAA-MM-JJ ; certainty : certain ou uncertain.</translation>
    </message>
    <message>
        <source>Your actor dictionary entries</source>
        <translation>Vos entrées du dictionnaire des acteurs</translation>
    </message>
    <message>
        <source>Add Entry</source>
        <translation>Ajouter une entrée</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importer…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Your entries could not be read ({reason}); none are shown.</source>
        <translation>Vos entrées n&apos;ont pas pu être lues ({reason}) ; aucune n&apos;est affichée.</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>Non enregistré : {reason}</translation>
    </message>
    <message>
        <source>Saved {count} entries to {path}.</source>
        <translation>{count} entrées enregistrées dans {path}.</translation>
    </message>
    <message>
        <source>Not imported: {reason}</source>
        <translation>Non importé : {reason}</translation>
    </message>
    <message>
        <source>Imported {count} entries from {name}; Save to use them.</source>
        <translation>{count} entrées importées de {name} ; enregistrez pour les utiliser.</translation>
    </message>
    <message>
        <source>Not exported: {reason}</source>
        <translation>Non exporté : {reason}</translation>
    </message>
    <message>
        <source>Exported to {path}.</source>
        <translation>Exporté vers {path}.</translation>
    </message>
    <message>
        <source>Import actor entries</source>
        <translation>Importer des entrées d&apos;acteurs</translation>
    </message>
    <message>
        <source>Export actor entries</source>
        <translation>Exporter des entrées d&apos;acteurs</translation>
    </message>
    <message>
        <source>Dictionary in use: version {version}.</source>
        <translation>Dictionnaire utilisé : version {version}.</translation>
    </message>
</context>
<context>
    <name>ActorGroupsDialog</name>
    <message>
        <source>Actors Across Datasets</source>
        <translation>Acteurs entre jeux de données</translation>
    </message>
    <message>
        <source>Canonical actors of the actor dictionary, with each dataset&apos;s spellings and their events among the filtered rows. Double-click an actor to filter to it (through all its names).</source>
        <translation>Les acteurs canoniques du dictionnaire, avec les graphies de chaque jeu de données et leurs événements parmi les lignes filtrées. Double-cliquez un acteur pour filtrer sur lui (sous tous ses noms).</translation>
    </message>
    <message>
        <source>Actor / spelling</source>
        <translation>Acteur / graphie</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Événements</translation>
    </message>
    <message>
        <source>Canonical actors and their spellings</source>
        <translation>Acteurs canoniques et leurs graphies</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Comptage…</translation>
    </message>
    <message>
        <source>uncertain attributions (not counted above)</source>
        <translation>attributions incertaines (non comptées ci-dessus)</translation>
    </message>
    <message>
        <source>{count} canonical actors in the open datasets.</source>
        <translation>{count} acteurs canoniques dans les jeux de données ouverts.</translation>
    </message>
</context>
<context>
    <name>ActorTree</name>
    <message>
        <source> · uncertain</source>
        <translation> · incertain</translation>
    </message>
    <message>
        <source>{count} more with fewer events: type a name to find them.</source>
        <translation>{count} autres, avec moins d’événements : tapez un nom pour les trouver.</translation>
    </message>
</context>
<context>
    <name>ActorTreeModel</name>
    <message>
        <source>{name}: {count} events under the other filters</source>
        <translation>{name} : {count} événements avec les autres filtres</translation>
    </message>
    <message>
        <source>; ticking it keeps every spelling below</source>
        <translation> ; le cocher garde toutes les graphies ci-dessous</translation>
    </message>
    <message>
        <source> (the source could not settle who it was)</source>
        <translation> (la source n&apos;a pas pu établir qui c&apos;était)</translation>
    </message>
</context>
<context>
    <name>ActorTreeView</name>
    <message>
        <source>Find…</source>
        <translation>Chercher…</translation>
    </message>
    <message>
        <source>Actors</source>
        <translation>Acteurs</translation>
    </message>
    <message>
        <source>With uncertain attributions</source>
        <translation>Avec attributions incertaines</translation>
    </message>
    <message>
        <source>Also keep the events a source gave to “X and/or Y” (ACLED): an attribution it could not settle. Off by default.</source>
        <translation>Garder aussi les événements qu&apos;une source attribue à « X et/ou Y » (ACLED) : une attribution qu&apos;elle n&apos;a pas pu établir. Désactivé par défaut.</translation>
    </message>
</context>
<context>
    <name>Caption</name>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>Filters: {filters}</source>
        <translation>Filtres : {filters}</translation>
    </message>
    <message>
        <source>Events {start} – {end}, lanes by {lanes}</source>
        <translation>Événements du {start} au {end}, lignes par {lanes}</translation>
    </message>
    <message>
        <source>{name} (no citation given)</source>
        <translation>{name} (aucune citation fournie)</translation>
    </message>
    <message>
        <source>Sources: {sources}</source>
        <translation>Sources : {sources}</translation>
    </message>
</context>
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
    <name>ChipBar</name>
    <message>
        <source>No filter: every event is shown</source>
        <translation>Aucun filtre : tout est affiché</translation>
    </message>
    <message>
        <source>Remove this filter: {label}</source>
        <translation>Retirer ce filtre : {label}</translation>
    </message>
    <message>
        <source>Remove filter {label}</source>
        <translation>Retirer le filtre {label}</translation>
    </message>
</context>
<context>
    <name>ColumnMenu</name>
    <message>
        <source>Columns</source>
        <translation>Colonnes</translation>
    </message>
    <message>
        <source>Move “{label}” Left</source>
        <translation>Déplacer « {label} » à gauche</translation>
    </message>
    <message>
        <source>Move “{label}” Right</source>
        <translation>Déplacer « {label} » à droite</translation>
    </message>
    <message>
        <source>Reset Columns</source>
        <translation>Rétablir les colonnes</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Actor 1</source>
        <translation>Acteur 1</translation>
    </message>
    <message>
        <source>Actor 2</source>
        <translation>Acteur 2</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Région</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lieu</translation>
    </message>
    <message>
        <source>Fatalities</source>
        <translation>Morts</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>Date precision</source>
        <translation>Précision de la date</translation>
    </message>
    <message>
        <source>Ongoing</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Type d&apos;événement</translation>
    </message>
    <message>
        <source>Sub-event type</source>
        <translation>Sous-type d&apos;événement</translation>
    </message>
    <message>
        <source>Associated actors</source>
        <translation>Acteurs associés</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Pays</translation>
    </message>
    <message>
        <source>Admin 2</source>
        <translation>Admin 2</translation>
    </message>
    <message>
        <source>Admin 3</source>
        <translation>Admin 3</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Latitude</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Longitude</translation>
    </message>
    <message>
        <source>Geo precision</source>
        <translation>Précision géographique</translation>
    </message>
    <message>
        <source>Fatalities (low)</source>
        <translation>Morts (bas)</translation>
    </message>
    <message>
        <source>Fatalities (high)</source>
        <translation>Morts (haut)</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Likely same</source>
        <translation>Probablement identique</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <source>Before and After</source>
        <translation>Avant et après</translation>
    </message>
    <message>
        <source> weeks before and after</source>
        <translation> semaines avant et après</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>The current filters (with their map areas)</source>
        <translation>Les filtres actuels (avec leurs zones sur la carte)</translation>
    </message>
    <message>
        <source>Within</source>
        <translation>À moins de</translation>
    </message>
    <message>
        <source>° N</source>
        <translation>° N</translation>
    </message>
    <message>
        <source>° E</source>
        <translation>° E</translation>
    </message>
    <message>
        <source>of</source>
        <translation>de</translation>
    </message>
    <message>
        <source>and an outer ring to</source>
        <translation>et une couronne extérieure jusqu&apos;à</translation>
    </message>
    <message>
        <source>The cercle&apos;s boundary (geoBoundaries, as the map&apos;s Region tool)</source>
        <translation>Les limites du cercle (geoBoundaries, comme l&apos;outil Région de la carte)</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Zone</translation>
    </message>
    <message>
        <source>Export Chart…</source>
        <translation>Exporter le graphique…</translation>
    </message>
    <message>
        <source>Export Table…</source>
        <translation>Exporter le tableau…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Inside its cercle, {cercle} (Mali&apos;s cercles)</source>
        <translation>Dans son cercle, {cercle} (cercles du Mali)</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Comptage…</translation>
    </message>
    <message>
        <source>Cancelled: change a choice to count again.</source>
        <translation>Annulé : changez un choix pour compter à nouveau.</translation>
    </message>
    <message>
        <source>The comparison&apos;s query failed: {error}</source>
        <translation>La requête de la comparaison a échoué : {error}</translation>
    </message>
    <message>
        <source>before</source>
        <translation>avant</translation>
    </message>
    <message>
        <source>after</source>
        <translation>après</translation>
    </message>
    <message>
        <source>difference</source>
        <translation>différence</translation>
    </message>
    <message>
        <source>ratio</source>
        <translation>rapport</translation>
    </message>
    <message>
        <source>PNG (*.png);;SVG (*.svg);;CSV, the weekly numbers (*.csv)</source>
        <translation>PNG (*.png);;SVG (*.svg);;CSV, les chiffres par semaine (*.csv)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
</context>
<context>
    <name>Compass</name>
    <message>
        <source>E</source>
        <translation>E</translation>
    </message>
    <message>
        <source>W</source>
        <translation>O</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>S</source>
        <translation>S</translation>
    </message>
</context>
<context>
    <name>DateBound</name>
    <message>
        <source>no bound</source>
        <translation>sans limite</translation>
    </message>
    <message>
        <source>{what}: type 2023-09-07 or {short}; empty leaves this side open</source>
        <translation>{what} : tapez 2023-09-07 ou {short} ; vide, ce côté reste ouvert</translation>
    </message>
    <message>
        <source>Pick the date on a calendar</source>
        <translation>Choisir la date dans un calendrier</translation>
    </message>
    <message>
        <source>No bound</source>
        <translation>Sans limite</translation>
    </message>
    <message>
        <source>Not a date: “{text}”. {tip}</source>
        <translation>Ce n&apos;est pas une date : « {text} ». {tip}</translation>
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
    <name>DetailPane</name>
    <message>
        <source>Selected events</source>
        <translation>Événements sélectionnés</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copy the event as text, with a citation line</source>
        <translation>Copier l&apos;événement en texte, avec une ligne de citation</translation>
    </message>
    <message>
        <source>Copy event</source>
        <translation>Copier l&apos;événement</translation>
    </message>
    <message>
        <source>Event details</source>
        <translation>Détails de l&apos;événement</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>looking for them…</source>
        <translation>recherche en cours…</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Related events&lt;/b&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Événements liés&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Related events&lt;/b&gt; ({count})</source>
        <translation>&lt;p&gt;&lt;b&gt;Événements liés&lt;/b&gt; ({count})</translation>
    </message>
    <message>
        <source>— {hidden} more hidden by the filters</source>
        <translation>— {hidden} autres masqués par les filtres</translation>
    </message>
    <message>
        <source>No original columns kept for this source.</source>
        <translation>Aucune colonne d&apos;origine conservée pour cette source.</translation>
    </message>
    <message>
        <source>hide</source>
        <translation>masquer</translation>
    </message>
    <message>
        <source>show</source>
        <translation>afficher</translation>
    </message>
    <message>
        <source>Original columns ({count})</source>
        <translation>Colonnes d&apos;origine ({count})</translation>
    </message>
    <message>
        <source>Show all ({count} characters)</source>
        <translation>Tout afficher ({count} caractères)</translation>
    </message>
    <message>
        <source>{label} — all {count} characters</source>
        <translation>{label} — les {count} caractères</translation>
    </message>
    <message>
        <source>{count} events selected — showing the focused one</source>
        <translation>{count} événements sélectionnés — affichage de l&apos;événement courant</translation>
    </message>
    <message>
        <source>1 event selected</source>
        <translation>1 événement sélectionné</translation>
    </message>
    <message>
        <source>No event selected</source>
        <translation>Aucun événement sélectionné</translation>
    </message>
</context>
<context>
    <name>DuckWorkspaces</name>
    <message>
        <source>The workspace was not saved: {reason}</source>
        <translation>L&apos;espace de travail n&apos;a pas été enregistré : {reason}</translation>
    </message>
    <message>
        <source>{name}: none of its files was found</source>
        <translation>{name} : aucun de ses fichiers n&apos;a été trouvé</translation>
    </message>
    <message>
        <source>{name}: could not be restored: {reason}</source>
        <translation>{name} : n&apos;a pas pu être rétabli : {reason}</translation>
    </message>
</context>
<context>
    <name>Engines</name>
    <message>
        <source>Engine: memory</source>
        <translation>Moteur : mémoire</translation>
    </message>
    <message>
        <source>Engine: DuckDB</source>
        <translation>Moteur : DuckDB</translation>
    </message>
    <message>
        <source>Automatic (DuckDB for Parquet of 1 GiB or 3M events or more)</source>
        <translation>Automatique (DuckDB pour un Parquet de 1 Gio ou 3 M d’événements ou plus)</translation>
    </message>
    <message>
        <source>Memory (the whole file read in)</source>
        <translation>Mémoire (tout le fichier lu)</translation>
    </message>
    <message>
        <source>DuckDB: a Parquet file</source>
        <translation>DuckDB : un fichier Parquet</translation>
    </message>
    <message>
        <source>DuckDB: a folder of Parquet files</source>
        <translation>DuckDB : un dossier de fichiers Parquet</translation>
    </message>
    <message>
        <source>Open as</source>
        <translation>Ouvrir en tant que</translation>
    </message>
    <message>
        <source>Run the data on:</source>
        <translation>Traiter les données avec :</translation>
    </message>
</context>
<context>
    <name>EventDetails</name>
    <message>
        <source>Select an event in the table or on the timeline.</source>
        <translation>Sélectionnez un événement dans la table ou sur la chronologie.</translation>
    </message>
    <message>
        <source> vs </source>
        <translation> contre </translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>{when} ({precision} precision)</source>
        <translation>{when} (précision : {precision})</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Actors</source>
        <translation>Acteurs</translation>
    </message>
    <message>
        <source>Associated</source>
        <translation>Associés</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Où</translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation>Coordonnées</translation>
    </message>
    <message>
        <source>Fatalities</source>
        <translation>Morts</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Event id</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source> (precision {value})</source>
        <translation> (précision {value})</translation>
    </message>
    <message>
        <source>, file {name}</source>
        <translation>, fichier {name}</translation>
    </message>
    <message>
        <source>Dataset {name}{where}, event {id}</source>
        <translation>Jeu de données {name}{where}, événement {id}</translation>
    </message>
    <message>
        <source>Notes: </source>
        <translation>Notes : </translation>
    </message>
    <message>
        <source>Cite: </source>
        <translation>Citer : </translation>
    </message>
    <message>
        <source>&lt;b&gt;Dataset&lt;/b&gt;: {name} ({format})</source>
        <translation>&lt;b&gt;Jeu de données&lt;/b&gt; : {name} ({format})</translation>
    </message>
    <message>
        <source>File: {path}</source>
        <translation>Fichier : {path}</translation>
    </message>
    <message>
        <source>Licence: {licence}</source>
        <translation>Licence : {licence}</translation>
    </message>
    <message>
        <source>Cite: {citation}</source>
        <translation>Citer : {citation}</translation>
    </message>
    <message>
        <source>1 day apart</source>
        <translation>à 1 jour d&apos;écart</translation>
    </message>
    <message>
        <source>{days} days apart</source>
        <translation>à {days} jours d&apos;écart</translation>
    </message>
    <message>
        <source>same actor: {name}</source>
        <translation>même acteur : {name}</translation>
    </message>
    <message>
        <source>{km} km away</source>
        <translation>à {km} km</translation>
    </message>
</context>
<context>
    <name>EventTableModel</name>
    <message>
        <source>Sort key {mark}</source>
        <translation>Clé de tri {mark}</translation>
    </message>
    <message>
        <source>Click to sort; shift-click to add a key</source>
        <translation>Cliquez pour trier ; Maj+clic ajoute une clé</translation>
    </message>
</context>
<context>
    <name>EventTableView</name>
    <message>
        <source>Event table</source>
        <translation>Table des événements</translation>
    </message>
    <message>
        <source>Copied the first {copied} of {selected} rows; File &gt; Export writes them all</source>
        <translation>Les {copied} premières lignes sur {selected} ont été copiées ; Fichier &gt; Exporter les écrit toutes</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>cannot write the provenance next to {path}: {reason}</source>
        <translation>impossible d&apos;écrire la provenance à côté de {path} : {reason}</translation>
    </message>
    <message>
        <source>export failed: {reason}</source>
        <translation>l&apos;export a échoué : {reason}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>CSV (UTF-8)</source>
        <translation>CSV (UTF-8)</translation>
    </message>
    <message>
        <source>Excel workbook (XLSX)</source>
        <translation>Classeur Excel (XLSX)</translation>
    </message>
    <message>
        <source>Parquet</source>
        <translation>Parquet</translation>
    </message>
    <message>
        <source>The filtered rows</source>
        <translation>Les lignes filtrées</translation>
    </message>
    <message>
        <source>The selected rows</source>
        <translation>Les lignes sélectionnées</translation>
    </message>
    <message>
        <source>The timeline range, with the other filters</source>
        <translation>La plage de la chronologie, avec les autres filtres</translation>
    </message>
    <message>
        <source>The timeline range, ignoring the other filters</source>
        <translation>La plage de la chronologie, sans les autres filtres</translation>
    </message>
    <message>
        <source>Export events</source>
        <translation>Exporter des événements</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Select a time range on the timeline first</source>
        <translation>Sélectionnez d&apos;abord une plage sur la chronologie</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Colonnes</translation>
    </message>
    <message>
        <source>Canonical columns (with a dataset column)</source>
        <translation>Colonnes canoniques (avec une colonne jeu de données)</translation>
    </message>
    <message>
        <source>The source file&apos;s original layout</source>
        <translation>La disposition d&apos;origine du fichier source</translation>
    </message>
    <message>
        <source>Add the likely-same pairs (match_group, match_score)</source>
        <translation>Ajouter les paires probablement identiques (match_group, match_score)</translation>
    </message>
    <message>
        <source>Find Likely Same Events first (Tools)</source>
        <translation>Cherchez d&apos;abord les événements probablement identiques (Outils)</translation>
    </message>
    <message>
        <source>{first} against {second}: the two events of a pair share a match_group (1 = the best pair), the same numbers as the Likely same column</source>
        <translation>{first} face à {second} : les deux événements d&apos;une paire partagent un match_group (1 = la meilleure paire), les mêmes numéros que la colonne Probablement identique</translation>
    </message>
    <message>
        <source>Start with a byte-order mark (for Excel)</source>
        <translation>Commencer par une marque d&apos;ordre des octets (pour Excel)</translation>
    </message>
    <message>
        <source>Export to file</source>
        <translation>Exporter vers le fichier</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation>Progression de l&apos;export</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Détails…</translation>
    </message>
    <message>
        <source>What went wrong, for a bug report</source>
        <translation>Ce qui s&apos;est mal passé, pour un rapport d&apos;anomalie</translation>
    </message>
    <message>
        <source>Only when all rows come from sources of one format that kept their columns</source>
        <translation>Seulement si toutes les lignes viennent de sources d&apos;un même format ayant gardé leurs colonnes</translation>
    </message>
    <message>
        <source>Export {rows} rows</source>
        <translation>Exporter {rows} lignes</translation>
    </message>
    <message>
        <source>Export events to</source>
        <translation>Exporter les événements vers</translation>
    </message>
    <message>
        <source>Choose a file to export to.</source>
        <translation>Choisissez un fichier où exporter.</translation>
    </message>
    <message>
        <source>Cannot write {path}: it is a folder.</source>
        <translation>Impossible d&apos;écrire {path} : c&apos;est un dossier.</translation>
    </message>
    <message>
        <source>{name} exists: press Replace to write over it.</source>
        <translation>{name} existe : appuyez sur Remplacer pour l&apos;écraser.</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Remplacer</translation>
    </message>
    <message>
        <source>Export cancelled; nothing written.</source>
        <translation>Export annulé ; rien n&apos;a été écrit.</translation>
    </message>
    <message>
        <source>Exporting {rows} rows…</source>
        <translation>Export de {rows} lignes…</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>L&apos;export a échoué</translation>
    </message>
    <message>
        <source>Wrote {rows} rows to {path} (provenance: {sidecar})</source>
        <translation>{rows} lignes écrites dans {path} (provenance : {sidecar})</translation>
    </message>
</context>
<context>
    <name>ExportImageDialog</name>
    <message>
        <source>Export timeline image</source>
        <translation>Exporter l&apos;image de la chronologie</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>Largeur</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>Hauteur</translation>
    </message>
    <message>
        <source>Title, active filters and citation</source>
        <translation>Titre, filtres actifs et citation</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
</context>
<context>
    <name>FacetList</name>
    <message>
        <source>Find…</source>
        <translation>Chercher…</translation>
    </message>
</context>
<context>
    <name>FacetListModel</name>
    <message>
        <source>{name}: {count} events under the other filters</source>
        <translation>{name} : {count} événements avec les autres filtres</translation>
    </message>
</context>
<context>
    <name>FileProblemBox</name>
    <message>
        <source>Folder not found</source>
        <translation>Dossier introuvable</translation>
    </message>
    <message>
        <source>The workspace&apos;s folder “{name}” was not found.</source>
        <translation>Le dossier « {name} » de l&apos;espace de travail est introuvable.</translation>
    </message>
    <message>
        <source>File not found</source>
        <translation>Fichier introuvable</translation>
    </message>
    <message>
        <source>The workspace&apos;s file “{name}” was not found.</source>
        <translation>Le fichier « {name} » de l&apos;espace de travail est introuvable.</translation>
    </message>
    <message>
        <source>Locate… lets you point to where it is now. Open anyway opens the workspace without it.</source>
        <translation>Localiser… permet d&apos;indiquer où il se trouve maintenant. Ouvrir quand même ouvre l&apos;espace de travail sans lui.</translation>
    </message>
    <message>
        <source>File has changed</source>
        <translation>Le fichier a changé</translation>
    </message>
    <message>
        <source>“{name}” has changed since the workspace was saved.</source>
        <translation>« {name} » a changé depuis l&apos;enregistrement de l&apos;espace de travail.</translation>
    </message>
    <message>
        <source>Its events may differ from what the workspace showed. Locate… lets you choose another copy; Open anyway opens it as it is now.</source>
        <translation>Ses événements peuvent différer de ce que montrait l&apos;espace de travail. Localiser… permet d&apos;en choisir une autre copie ; Ouvrir quand même l&apos;ouvre tel qu&apos;il est.</translation>
    </message>
    <message>
        <source>Locate…</source>
        <translation>Localiser…</translation>
    </message>
    <message>
        <source>Open anyway</source>
        <translation>Ouvrir quand même</translation>
    </message>
    <message>
        <source>Locate {name}</source>
        <translation>Localiser {name}</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>FilterPanel</name>
    <message>
        <source>Actor</source>
        <translation>Acteur</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Région</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Sub-type</source>
        <translation>Sous-type</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <source>Events shown</source>
        <translation>Événements affichés</translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation>Tout effacer</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <source>Search running</source>
        <translation>Recherche en cours</translation>
    </message>
    <message>
        <source>Search title, notes, place, source…</source>
        <translation>Chercher dans le titre, les notes, le lieu, la source…</translation>
    </message>
    <message>
        <source>Search text</source>
        <translation>Texte recherché</translation>
    </message>
    <message>
        <source>Actors (any side)</source>
        <translation>Acteurs (tout rôle)</translation>
    </message>
    <message>
        <source>Regions</source>
        <translation>Régions</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Type d&apos;événement</translation>
    </message>
    <message>
        <source>Sub-event type</source>
        <translation>Sous-type d&apos;événement</translation>
    </message>
    <message>
        <source>Datasets</source>
        <translation>Jeux de données</translation>
    </message>
    <message>
        <source>Events from (inclusive)</source>
        <translation>Événements à partir du (inclus)</translation>
    </message>
    <message>
        <source>Events to (inclusive)</source>
        <translation>Événements jusqu&apos;au (inclus)</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Au</translation>
    </message>
    <message>
        <source>Use timeline range</source>
        <translation>Utiliser cette plage</translation>
    </message>
    <message>
        <source>Dates (overlap)</source>
        <translation>Dates (chevauchement)</translation>
    </message>
    <message>
        <source>Keeps every event whose start–end overlaps the dates, inclusive</source>
        <translation>Garde chaque événement dont le début–fin chevauche les dates, bornes incluses</translation>
    </message>
    <message>
        <source>At least this many fatalities</source>
        <translation>Au moins ce nombre de morts</translation>
    </message>
    <message>
        <source>At most this many fatalities</source>
        <translation>Au plus ce nombre de morts</translation>
    </message>
    <message>
        <source>Include unknown</source>
        <translation>Inclure les inconnus</translation>
    </message>
    <message>
        <source>Keep events whose number of fatalities is not known</source>
        <translation>Garder les événements dont le nombre de morts est inconnu</translation>
    </message>
    <message>
        <source>At least</source>
        <translation>Au moins</translation>
    </message>
    <message>
        <source>At most</source>
        <translation>Au plus</translation>
    </message>
    <message>
        <source>Fatalities</source>
        <translation>Morts</translation>
    </message>
    <message>
        <source>Timeline range: {first} – {last}</source>
        <translation>Plage de la chronologie : {first} – {last}</translation>
    </message>
    <message>
        <source>{shown} of {total} events</source>
        <translation>{shown} sur {total} événements</translation>
    </message>
    <message>
        <source>{field}: {value}</source>
        <translation>{field} : {value}</translation>
    </message>
    <message>
        <source>From {date}</source>
        <translation>Depuis le {date}</translation>
    </message>
    <message>
        <source>To {date}</source>
        <translation>Jusqu&apos;au {date}</translation>
    </message>
    <message>
        <source>Fatalities ≥ {n}</source>
        <translation>Morts ≥ {n}</translation>
    </message>
    <message>
        <source>Fatalities ≤ {n}</source>
        <translation>Morts ≤ {n}</translation>
    </message>
    <message>
        <source>Known fatalities only</source>
        <translation>Morts connus seulement</translation>
    </message>
    <message>
        <source>Text: “{text}”</source>
        <translation>Texte : « {text} »</translation>
    </message>
    <message>
        <source>any</source>
        <translation>indifférent</translation>
    </message>
    <message>
        <source>{what}; “{any}” leaves this side open</source>
        <translation>{what} ; « {any} » laisse ce côté ouvert</translation>
    </message>
</context>
<context>
    <name>FrequencyView</name>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>The actor, place, type or period</source>
        <translation>L&apos;acteur, le lieu, le type ou la période</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Événements</translation>
    </message>
    <message>
        <source>Events among the filtered rows</source>
        <translation>Événements parmi les lignes filtrées</translation>
    </message>
    <message>
        <source>Share of the filtered events</source>
        <translation>Part des événements filtrés</translation>
    </message>
    <message>
        <source>Fatalities</source>
        <translation>Morts</translation>
    </message>
    <message>
        <source>Fatalities where known (unknown tolls add nothing)</source>
        <translation>Morts, quand on les connaît (les bilans inconnus n&apos;ajoutent rien)</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Inconnus</translation>
    </message>
    <message>
        <source>Events whose fatalities are unknown</source>
        <translation>Événements dont le nombre de morts est inconnu</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Jour</translation>
    </message>
    <message>
        <source>Week of</source>
        <translation>Semaine du</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Mois</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Année</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Acteur</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Pays</translation>
    </message>
    <message>
        <source>Admin 1</source>
        <translation>Admin 1</translation>
    </message>
    <message>
        <source>Admin 2</source>
        <translation>Admin 2</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lieu</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Type d&apos;événement</translation>
    </message>
    <message>
        <source>Sub-event type</source>
        <translation>Sous-type d&apos;événement</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Semaine</translation>
    </message>
    <message>
        <source>Count by</source>
        <translation>Compter par</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>Par jour</translation>
    </message>
    <message>
        <source>Per week</source>
        <translation>Par semaine</translation>
    </message>
    <message>
        <source>Per month</source>
        <translation>Par mois</translation>
    </message>
    <message>
        <source>Per year</source>
        <translation>Par année</translation>
    </message>
    <message>
        <source>Double-click a row to add it to the filter</source>
        <translation>Double-cliquez une ligne pour l&apos;ajouter au filtre</translation>
    </message>
</context>
<context>
    <name>Histogram</name>
    <message>
        <source>max {n} fatalities / {unit}</source>
        <translation>max. {n} morts / {unit}</translation>
    </message>
    <message>
        <source>max {n} events / {unit}</source>
        <translation>max. {n} événements / {unit}</translation>
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
    <name>Lanes</name>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Acteur</translation>
    </message>
    <message>
        <source>Region (admin1)</source>
        <translation>Région (admin1)</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Type d&apos;événement</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <source>other</source>
        <translation>autres</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>The language changes once loading ends…</source>
        <translation>La langue changera à la fin du chargement…</translation>
    </message>
</context>
<context>
    <name>LegendStrip</name>
    <message>
        <source>an event is in the lane of each of its actors</source>
        <translation>un événement figure dans la ligne de chacun de ses acteurs</translation>
    </message>
    <message>
        <source>fatalities:</source>
        <translation>morts :</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>period</source>
        <translation>période</translation>
    </message>
    <message>
        <source>ongoing</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>vague date (day/week/month)</source>
        <translation>date imprécise (jour/semaine/mois)</translation>
    </message>
    <message>
        <source>milestone</source>
        <translation>jalon</translation>
    </message>
    <message>
        <source>mourning / blockade band</source>
        <translation>bande deuil / blocus</translation>
    </message>
</context>
<context>
    <name>Loading</name>
    <message>
        <source>{name}: unexpected error while reading: {reason}</source>
        <translation>{name} : erreur inattendue pendant la lecture : {reason}</translation>
    </message>
</context>
<context>
    <name>LongTextDialog</name>
    <message>
        <source>{total} characters</source>
        <translation>{total} caractères</translation>
    </message>
    <message>
        <source>Showing {added} of {total} characters…</source>
        <translation>Affichage de {added} caractères sur {total}…</translation>
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
        <source>Timeline</source>
        <translation>Chronologie</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Carte</translation>
    </message>
    <message>
        <source>Trends</source>
        <translation>Tendances</translation>
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
        <source>Open a Parquet dataset</source>
        <translation>Ouvrir un jeu de données Parquet</translation>
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
        <source>{name}  (DuckDB)</source>
        <translation>{name}  (DuckDB)</translation>
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
        <source>, 1 selected</source>
        <translation>, 1 sélectionné</translation>
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
<context>
    <name>Map</name>
    <message>
        <source>Pan</source>
        <translation>Déplacer</translation>
    </message>
    <message>
        <source>Box</source>
        <translation>Rectangle</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Zone</translation>
    </message>
    <message>
        <source>Radius</source>
        <translation>Rayon</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Région</translation>
    </message>
    <message>
        <source>Borders: Natural Earth · Mali regions: geoBoundaries (CC BY 4.0)</source>
        <translation>Frontières : Natural Earth · Régions du Mali : geoBoundaries (CC BY 4.0)</translation>
    </message>
    <message>
        <source>size: fatalities</source>
        <translation>taille : morts</translation>
    </message>
    <message>
        <source>toll unknown</source>
        <translation>bilan inconnu</translation>
    </message>
    <message>
        <source>place approximate (district or wider)</source>
        <translation>lieu approximatif (cercle ou plus large)</translation>
    </message>
    <message>
        <source>many events: density</source>
        <translation>nombreux événements : densité</translation>
    </message>
    <message>
        <source>fatalities per {layer}</source>
        <translation>morts par {layer}</translation>
    </message>
    <message>
        <source>events per {layer}</source>
        <translation>événements par {layer}</translation>
    </message>
    <message>
        <source>outside the time selection</source>
        <translation>hors de la sélection temporelle</translation>
    </message>
    <message>
        <source>likely the same event (dashed: the pair)</source>
        <translation>probablement le même événement (en tirets : la paire)</translation>
    </message>
    <message>
        <source>Countries</source>
        <translation>Pays</translation>
    </message>
    <message>
        <source>Mali regions</source>
        <translation>Régions du Mali</translation>
    </message>
    <message>
        <source>Mali cercles</source>
        <translation>Cercles du Mali</translation>
    </message>
    <message>
        <source>No shading</source>
        <translation>Sans coloration</translation>
    </message>
    <message>
        <source>Events per region</source>
        <translation>Événements par région</translation>
    </message>
    <message>
        <source>Fatalities per region</source>
        <translation>Morts par région</translation>
    </message>
    <message>
        <source>Map tools</source>
        <translation>Outils de la carte</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajuster</translation>
    </message>
    <message>
        <source>Show every event on the map</source>
        <translation>Montrer tous les événements sur la carte</translation>
    </message>
    <message>
        <source>Regions to click and shade</source>
        <translation>Régions à cliquer et colorer</translation>
    </message>
    <message>
        <source>Shade regions by</source>
        <translation>Colorer les régions selon</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ Lecture</translation>
    </message>
    <message>
        <source>Play a window of N days through the data (the timeline&apos;s range)</source>
        <translation>Faire défiler une fenêtre de N jours sur les données (la plage de la chronologie)</translation>
    </message>
    <message>
        <source>Time window start</source>
        <translation>Début de la fenêtre temporelle</translation>
    </message>
    <message>
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <source>Time window length in days</source>
        <translation>Durée de la fenêtre temporelle en jours</translation>
    </message>
    <message>
        <source>Open a file to see where its events happened.</source>
        <translation>Ouvrez un fichier pour voir où ses événements ont eu lieu.</translation>
    </message>
    <message>
        <source>None of the {count} events shown has coordinates, so there is nothing to place on the map. The table and the timeline show them.</source>
        <translation>Aucun des {count} événements affichés n&apos;a de coordonnées : rien à placer sur la carte. La table et la chronologie les montrent.</translation>
    </message>
    <message>
        <source>No events pass the filters.</source>
        <translation>Aucun événement ne passe les filtres.</translation>
    </message>
    <message>
        <source>{located} of {shown} events on the map</source>
        <translation>{located} événements sur {shown} sur la carte</translation>
    </message>
    <message>
        <source> ({count} without coordinates)</source>
        <translation> ({count} sans coordonnées)</translation>
    </message>
    <message>
        <source>⏸ Pause</source>
        <translation>⏸ Pause</translation>
    </message>
    <message>
        <source>{start} + {days} d</source>
        <translation>{start} + {days} j</translation>
    </message>
    <message>
        <source>Export map image</source>
        <translation>Exporter l&apos;image de la carte</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>Image PNG (*.png);;Dessin SVG (*.svg)</translation>
    </message>
    <message>
        <source>Could not export the map</source>
        <translation>Impossible d&apos;exporter la carte</translation>
    </message>
    <message>
        <source>Open boundaries</source>
        <translation>Ouvrir des limites administratives</translation>
    </message>
    <message>
        <source>GeoJSON (*.geojson *.json);;All files (*)</source>
        <translation>GeoJSON (*.geojson *.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Could not open boundaries</source>
        <translation>Impossible d&apos;ouvrir les limites</translation>
    </message>
    <message>
        <source>Click an event to select it (Ctrl+click adds); drag to pan, wheel to zoom</source>
        <translation>Cliquez sur un événement pour le sélectionner (Ctrl+clic ajoute) ; glissez pour déplacer, molette pour zoomer</translation>
    </message>
    <message>
        <source>Drag a box: keep the events inside it</source>
        <translation>Tracez un rectangle : garder les événements qu&apos;il contient</translation>
    </message>
    <message>
        <source>Draw around an area: keep the events inside it</source>
        <translation>Entourez une zone : garder les événements qu&apos;elle contient</translation>
    </message>
    <message>
        <source>Drag from a place outwards: keep the events within that distance</source>
        <translation>Glissez depuis un lieu vers l&apos;extérieur : garder les événements à cette distance</translation>
    </message>
    <message>
        <source>Click a region: keep the events inside it</source>
        <translation>Cliquez sur une région : garder ses événements</translation>
    </message>
</context>
<context>
    <name>MappingDialog</name>
    <message>
        <source>(not in this file)</source>
        <translation>(absent de ce fichier)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>Date de début</translation>
    </message>
    <message>
        <source>End date</source>
        <translation>Date de fin</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Type d&apos;événement</translation>
    </message>
    <message>
        <source>Actor 1</source>
        <translation>Acteur 1</translation>
    </message>
    <message>
        <source>Actor 2</source>
        <translation>Acteur 2</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Pays</translation>
    </message>
    <message>
        <source>Region (admin 1)</source>
        <translation>Région (admin 1)</translation>
    </message>
    <message>
        <source>District (admin 2)</source>
        <translation>Cercle / district (admin 2)</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Lieu</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Latitude</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Longitude</translation>
    </message>
    <message>
        <source>Fatalities</source>
        <translation>Morts</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Event id</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source>Decide from the column</source>
        <translation>Décider d&apos;après la colonne</translation>
    </message>
    <message>
        <source>Day first (31/12/2023)</source>
        <translation>Jour d&apos;abord (31/12/2023)</translation>
    </message>
    <message>
        <source>Month first (12/31/2023)</source>
        <translation>Mois d&apos;abord (12/31/2023)</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Début</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>Actors</source>
        <translation>Acteurs</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Région</translation>
    </message>
    <message>
        <source>line {number}</source>
        <translation>ligne {number}</translation>
    </message>
    <message>
        <source>Map columns – {name}</source>
        <translation>Associer les colonnes – {name}</translation>
    </message>
    <message>
        <source>Map columns</source>
        <translation>Associer les colonnes</translation>
    </message>
    <message>
        <source>Map the columns of a table to event fields</source>
        <translation>Associer les colonnes d&apos;une table aux champs des événements</translation>
    </message>
    <message>
        <source>{name} is not a layout the app knows. Say which column holds each field; the preview shows the first rows as events.</source>
        <translation>{name} n&apos;a pas une disposition que l&apos;application connaît. Indiquez quelle colonne contient chaque champ ; l&apos;aperçu montre les premières lignes en événements.</translation>
    </message>
    <message>
        <source>This file</source>
        <translation>Ce fichier</translation>
    </message>
    <message>
        <source>Using the mapping you saved for files with these columns.</source>
        <translation>Utilisation de l&apos;association enregistrée pour les fichiers ayant ces colonnes.</translation>
    </message>
    <message>
        <source>Saved mapping note</source>
        <translation>Note sur l&apos;association enregistrée</translation>
    </message>
    <message>
        <source>First rows of the file</source>
        <translation>Premières lignes du fichier</translation>
    </message>
    <message>
        <source>Column for {field}</source>
        <translation>Colonne pour {field}</translation>
    </message>
    <message>
        <source>Which column of the file holds the {field}</source>
        <translation>Quelle colonne du fichier contient : {field}</translation>
    </message>
    <message>
        <source>Order of day and month in dates</source>
        <translation>Ordre du jour et du mois dans les dates</translation>
    </message>
    <message>
        <source>Day and month</source>
        <translation>Jour et mois</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Champs</translation>
    </message>
    <message>
        <source>Preview of the first rows as events</source>
        <translation>Aperçu des premières lignes en événements</translation>
    </message>
    <message>
        <source>Preview rows that would be rejected</source>
        <translation>Lignes de l&apos;aperçu qui seraient rejetées</translation>
    </message>
    <message>
        <source>Remember this mapping for files with the same columns</source>
        <translation>Mémoriser cette association pour les fichiers ayant les mêmes colonnes</translation>
    </message>
    <message>
        <source>Remember this mapping</source>
        <translation>Mémoriser cette association</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Charger</translation>
    </message>
    <message>
        <source>Load with this mapping</source>
        <translation>Charger avec cette association</translation>
    </message>
    <message>
        <source>The file</source>
        <translation>Le fichier</translation>
    </message>
    <message>
        <source>As events</source>
        <translation>En événements</translation>
    </message>
    <message>
        <source>Nothing to preview: {problem}.</source>
        <translation>Rien à prévisualiser : {problem}.</translation>
    </message>
    <message>
        <source>All {shown} preview rows become events.</source>
        <translation>Les {shown} lignes de l&apos;aperçu deviennent des événements.</translation>
    </message>
    <message>
        <source>{count} of {shown} preview rows would be rejected: </source>
        <translation>{count} lignes de l&apos;aperçu sur {shown} seraient rejetées : </translation>
    </message>
    <message>
        <source>Could not remember the mapping: {reason}</source>
        <translation>Impossible de mémoriser l&apos;association : {reason}</translation>
    </message>
</context>
<context>
    <name>Marks</name>
    <message>
        <source>ongoing →</source>
        <translation>en cours →</translation>
    </message>
</context>
<context>
    <name>MatchDialog</name>
    <message>
        <source>Two events from different datasets are candidates when both have coordinates, the gap between their [start, end] spans is at most D days, their great-circle distance is at most K km (Earth radius {radius} km) and their categories agree. Score = km / K + days / max(D, 1). Pairs are taken one-to-one, best score first, ties broken by the first dataset&apos;s id and then the second&apos;s (compared as text); candidates not taken are kept as &apos;also possible&apos;.</source>
        <translation>Deux événements de jeux de données différents sont candidats quand tous deux ont des coordonnées, que l&apos;écart entre leurs périodes [début, fin] est d&apos;au plus D jours, que leur distance orthodromique est d&apos;au plus K km (rayon terrestre {radius} km) et que leurs catégories concordent. Score = km / K + jours / max(D, 1). Les paires sont prises une à une, meilleur score d&apos;abord, les égalités départagées par l&apos;identifiant du premier jeu puis du second (comparés comme du texte) ; les candidats non retenus restent « aussi possibles ».</translation>
    </message>
    <message>
        <source>Find Likely Same Events</source>
        <translation>Trouver les événements probablement identiques</translation>
    </message>
    <message>
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <source>Matching progress</source>
        <translation>Progression de l&apos;appariement</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Trouver</translation>
    </message>
    <message>
        <source>First dataset</source>
        <translation>Premier jeu de données</translation>
    </message>
    <message>
        <source>Second dataset</source>
        <translation>Second jeu de données</translation>
    </message>
    <message>
        <source>At most (D)</source>
        <translation>Au plus (D)</translation>
    </message>
    <message>
        <source>Within (K)</source>
        <translation>À moins de (K)</translation>
    </message>
    <message>
        <source>Cancelled: no pairs kept.</source>
        <translation>Annulé : aucune paire gardée.</translation>
    </message>
    <message>
        <source>Finding likely-same events…</source>
        <translation>Recherche des événements probablement identiques…</translation>
    </message>
    <message>
        <source>{pairs} pairs among {candidates} candidates ({first} against {second}).</source>
        <translation>{pairs} paires parmi {candidates} candidats ({first} face à {second}).</translation>
    </message>
    <message>
        <source>Matching failed: {reason}</source>
        <translation>L&apos;appariement a échoué : {reason}</translation>
    </message>
    <message>
        <source>Leave Out {dataset}&apos;s Matched Events</source>
        <translation>Écarter les événements appariés de {dataset}</translation>
    </message>
</context>
<context>
    <name>MatchView</name>
    <message>
        <source>All Events</source>
        <translation>Tous les événements</translation>
    </message>
    <message>
        <source>Matched Events</source>
        <translation>Événements appariés</translation>
    </message>
    <message>
        <source>Unmatched Events</source>
        <translation>Événements non appariés</translation>
    </message>
    <message>
        <source>Leave Out the Second Dataset&apos;s Matched Events</source>
        <translation>Écarter les événements appariés du second jeu de données</translation>
    </message>
    <message>
        <source>overlapping dates</source>
        <translation>dates qui se chevauchent</translation>
    </message>
    <message>
        <source>Likely the same as</source>
        <translation>Probablement le même que</translation>
    </message>
    <message>
        <source>no event of the other dataset by the rule (D = {days} days, K = {km} km)</source>
        <translation>aucun événement de l&apos;autre jeu selon la règle (D = {days} jours, K = {km} km)</translation>
    </message>
    <message>
        <source>{km} km apart, {days}; score {score}</source>
        <translation>à {km} km, {days} ; score {score}</translation>
    </message>
    <message>
        <source>{dataset} event {id}</source>
        <translation>{dataset}, événement {id}</translation>
    </message>
    <message>
        <source>This event</source>
        <translation>Cet événement</translation>
    </message>
    <message>
        <source>Other dataset</source>
        <translation>Autre jeu de données</translation>
    </message>
    <message>
        <source>{km} km, {days}; score {score}</source>
        <translation>{km} km, {days} ; score {score}</translation>
    </message>
    <message>
        <source> — {count} more</source>
        <translation> — {count} de plus</translation>
    </message>
    <message>
        <source>Also possible</source>
        <translation>Aussi possibles</translation>
    </message>
    <message>
        <source>Raw actor names only</source>
        <translation>Noms d&apos;acteurs bruts seulement</translation>
    </message>
    <message>
        <source>With uncertain attributions</source>
        <translation>Avec les attributions incertaines</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Borders: Natural Earth 1:50m (public domain); Mali regions and cercles: geoBoundaries (CC BY 4.0; Runfola et al. 2020, PLoS ONE 15(4): e0231866).</source>
        <translation>Frontières : Natural Earth 1:50m (domaine public) ; régions et cercles du Mali : geoBoundaries (CC BY 4.0 ; Runfola et al. 2020, PLoS ONE 15(4) : e0231866).</translation>
    </message>
    <message>
        <source>{path}: not a GeoJSON FeatureCollection</source>
        <translation>{path} : pas une FeatureCollection GeoJSON</translation>
    </message>
    <message>
        <source>{path}: no Polygon or MultiPolygon features</source>
        <translation>{path} : aucune entité Polygon ou MultiPolygon</translation>
    </message>
    <message>
        <source>Boundaries: {name}</source>
        <translation>Frontières : {name}</translation>
    </message>
    <message>
        <source>{path}: cannot read: {error}</source>
        <translation>{path} : lecture impossible : {error}</translation>
    </message>
    <message>
        <source>{path}: not JSON ({error})</source>
        <translation>{path} : pas du JSON ({error})</translation>
    </message>
    <message>
        <source>{rows} rows do not fit in an Excel sheet ({most} at most): export CSV or Parquet</source>
        <translation>{rows} lignes ne tiennent pas dans une feuille Excel ({most} au plus) : exportez en CSV ou Parquet</translation>
    </message>
    <message>
        <source>the original layout needs rows from sources of one format that kept their columns</source>
        <translation>la disposition d&apos;origine demande des lignes de sources d&apos;un même format ayant gardé leurs colonnes</translation>
    </message>
    <message>
        <source>cannot write {path}: folder {folder} does not exist</source>
        <translation>impossible d&apos;écrire {path} : le dossier {folder} n&apos;existe pas</translation>
    </message>
    <message>
        <source>cannot write {path}: it is a folder</source>
        <translation>impossible d&apos;écrire {path} : c&apos;est un dossier</translation>
    </message>
    <message>
        <source>cannot write {path}: {error}</source>
        <translation>impossible d&apos;écrire {path} : {error}</translation>
    </message>
    <message>
        <source>{degrees:.2f}°S</source>
        <translation>{degrees:.2f}°S</translation>
    </message>
    <message>
        <source>{degrees:.2f}°W</source>
        <translation>{degrees:.2f}°O</translation>
    </message>
    <message>
        <source>{degrees:.2f}°N</source>
        <translation>{degrees:.2f}°N</translation>
    </message>
    <message>
        <source>{degrees:.2f}°E</source>
        <translation>{degrees:.2f}°E</translation>
    </message>
    <message>
        <source>Box {south}–{north}, {west}–{east}</source>
        <translation>Rectangle {south}–{north}, {west}–{east}</translation>
    </message>
    <message>
        <source>Within {km:g} km of {lat} {lon}</source>
        <translation>À moins de {km:g} km de {lat} {lon}</translation>
    </message>
    <message>
        <source>Inside {area}</source>
        <translation>Dans {area}</translation>
    </message>
    <message>
        <source>drawn area</source>
        <translation>la zone dessinée</translation>
    </message>
    <message>
        <source>A description of the events in the data, not a causal estimate: other things changed in these weeks too, and the data may record one period better than the other.</source>
        <translation>Une description des événements présents dans les données, pas une estimation causale : d&apos;autres choses ont changé pendant ces semaines, et les données peuvent mieux couvrir une période que l&apos;autre.</translation>
    </message>
    <message>
        <source>{dataset} ends on {last}: weeks outside its dates are empty for want of data, not for want of events.</source>
        <translation>{dataset} s&apos;arrête le {last} : les semaines hors de ses dates sont vides faute de données, non faute d&apos;événements.</translation>
    </message>
    <message>
        <source>{dataset} starts on {first} and ends on {last}: weeks outside its dates are empty for want of data, not for want of events.</source>
        <translation>{dataset} commence le {first} et s&apos;arrête le {last} : les semaines hors de ses dates sont vides faute de données, non faute d&apos;événements.</translation>
    </message>
    <message>
        <source>{dataset} starts on {first}: weeks outside its dates are empty for want of data, not for want of events.</source>
        <translation>{dataset} commence le {first} : les semaines hors de ses dates sont vides faute de données, non faute d&apos;événements.</translation>
    </message>
    <message>
        <source>the outer ring must be wider than the area</source>
        <translation>l&apos;anneau extérieur doit être plus large que la zone</translation>
    </message>
    <message>
        <source>an outer ring needs a distance filter (--near LAT,LON,KM)</source>
        <translation>un anneau extérieur demande un filtre de distance (--near LAT,LON,KM)</translation>
    </message>
    <message>
        <source>the outer ring ({outer} km) must be wider than {inner} km</source>
        <translation>l&apos;anneau extérieur ({outer} km) doit être plus large que {inner} km</translation>
    </message>
    <message>
        <source>events</source>
        <translation>événements</translation>
    </message>
    <message>
        <source>known fatalities</source>
        <translation>morts connus</translation>
    </message>
    <message>
        <source>events with unknown toll</source>
        <translation>événements au bilan inconnu</translation>
    </message>
    <message>
        <source>{dataset} runs from {first} to {last}: none of its events can fall in these weeks.</source>
        <translation>{dataset} va du {first} au {last} : aucun de ses événements ne peut tomber dans ces semaines.</translation>
    </message>
    <message>
        <source>events of {actor}</source>
        <translation>événements de {actor}</translation>
    </message>
    <message>
        <source>area</source>
        <translation>zone</translation>
    </message>
    <message>
        <source>outer ring</source>
        <translation>couronne extérieure</translation>
    </message>
    <message>
        <source>not a workspace (expected a JSON object)</source>
        <translation>pas un espace de travail (un objet JSON attendu)</translation>
    </message>
    <message>
        <source>workspace version {version} is newer than this app understands (up to {supported}); update the app</source>
        <translation>la version {version} de l&apos;espace de travail est plus récente que ce que comprend l&apos;application (jusqu&apos;à {supported}) : mettez l&apos;application à jour</translation>
    </message>
    <message>
        <source>{path}: no such workspace file</source>
        <translation>{path} : fichier d&apos;espace de travail introuvable</translation>
    </message>
    <message>
        <source>{name}: not valid JSON ({error})</source>
        <translation>{name} : JSON non valide ({error})</translation>
    </message>
    <message>
        <source>{name}: malformed workspace ({error})</source>
        <translation>{name} : espace de travail mal formé ({error})</translation>
    </message>
    <message>
        <source>engine {engine} is not one this app knows ({known}); update the app</source>
        <translation>le moteur {engine} n&apos;est pas un de ceux que connaît l&apos;application ({known}) : mettez l&apos;application à jour</translation>
    </message>
    <message>
        <source>slash dates are ambiguous (no day above 12); read as {order}</source>
        <translation>dates à barres obliques ambiguës (aucun jour au-delà de 12) : lues {order}</translation>
    </message>
    <message>
        <source>day-first</source>
        <translation>jour en premier</translation>
    </message>
    <message>
        <source>month-first</source>
        <translation>mois en premier</translation>
    </message>
    <message>
        <source>slash dates are mixed day-first and month-first; read as {order}</source>
        <translation>dates à barres obliques mêlant jour en premier et mois en premier : lues {order}</translation>
    </message>
    <message>
        <source>unparseable date</source>
        <translation>date illisible</translation>
    </message>
    <message>
        <source>missing date</source>
        <translation>date manquante</translation>
    </message>
    <message>
        <source>{name}: not an ACLED file (no {columns} column)</source>
        <translation>{name} : pas un fichier ACLED (pas de colonne {columns})</translation>
    </message>
    <message>
        <source>{count} row(s) repeat an event id already seen (e.g. {example}); kept as separate events</source>
        <translation>{count} ligne(s) répètent un identifiant d&apos;événement déjà vu (par ex. {example}) : gardées comme événements distincts</translation>
    </message>
    <message>
        <source>{count} row(s) with non-numeric fatalities (kept as unknown)</source>
        <translation>{count} ligne(s) au nombre de morts non numérique (gardé comme inconnu)</translation>
    </message>
    <message>
        <source>unparseable SQLDATE</source>
        <translation>SQLDATE illisible</translation>
    </message>
    <message>
        <source>no GLOBALEVENTID</source>
        <translation>pas de GLOBALEVENTID</translation>
    </message>
    <message>
        <source>duplicate GLOBALEVENTID</source>
        <translation>GLOBALEVENTID en double</translation>
    </message>
    <message>
        <source>not a GDELT events file: no {column} column</source>
        <translation>pas un fichier d&apos;événements GDELT : pas de colonne {column}</translation>
    </message>
    <message>
        <source>{name}: not a GDELT events file (expected 57, 58 or 61 columns with a YYYYMMDD date in the second)</source>
        <translation>{name} : pas un fichier d&apos;événements GDELT (57, 58 ou 61 colonnes attendues, avec une date AAAAMMJJ dans la deuxième)</translation>
    </message>
    <message>
        <source>GeoJSON: row numbers in this report are feature numbers</source>
        <translation>GeoJSON : les numéros de ligne de ce rapport sont des numéros d&apos;entités</translation>
    </message>
    <message>
        <source>JSON: row numbers in this report are record numbers</source>
        <translation>JSON : les numéros de ligne de ce rapport sont des numéros d&apos;enregistrements</translation>
    </message>
    <message>
        <source>{count:,} feature(s) without a Point geometry: no coordinates</source>
        <translation>{count} entité(s) sans géométrie Point : pas de coordonnées</translation>
    </message>
    <message>
        <source>invalid date (iyear/imonth/iday)</source>
        <translation>date invalide (iyear/imonth/iday)</translation>
    </message>
    <message>
        <source>no eventid</source>
        <translation>pas d&apos;eventid</translation>
    </message>
    <message>
        <source>duplicate eventid</source>
        <translation>eventid en double</translation>
    </message>
    <message>
        <source>not a GTD file: missing column(s) {columns}</source>
        <translation>pas un fichier GTD : colonne(s) manquante(s) {columns}</translation>
    </message>
    <message>
        <source>{count} resolution date(s) before the start ignored</source>
        <translation>{count} date(s) de résolution antérieure(s) au début ignorée(s)</translation>
    </message>
    <message>
        <source>{count} extended incident(s) without a resolution date shown as ongoing as of {day}, the file&apos;s last date</source>
        <translation>{count} incident(s) prolongé(s) sans date de résolution montré(s) en cours au {day}, dernière date du fichier</translation>
    </message>
    <message>
        <source>{count} non-numeric nkill value(s) read as unknown</source>
        <translation>{count} valeur(s) nkill non numérique(s) lue(s) comme inconnue(s)</translation>
    </message>
    <message>
        <source>{name}: no Parquet files</source>
        <translation>{name} : aucun fichier Parquet</translation>
    </message>
    <message>
        <source>{name}: missing column(s) {columns}</source>
        <translation>{name} : colonne(s) manquante(s) {columns}</translation>
    </message>
    <message>
        <source>{path}: no such file</source>
        <translation>{path} : fichier introuvable</translation>
    </message>
    <message>
        <source>{path}: is a folder without Parquet files, not a file</source>
        <translation>{path} : un dossier sans fichiers Parquet, pas un fichier</translation>
    </message>
    <message>
        <source>not a readable XLSX workbook ({error})</source>
        <translation>pas un classeur XLSX lisible ({error})</translation>
    </message>
    <message>
        <source>not a readable Parquet file ({error})</source>
        <translation>pas un fichier Parquet lisible ({error})</translation>
    </message>
    <message>
        <source>not valid JSON ({error})</source>
        <translation>JSON non valide ({error})</translation>
    </message>
    <message>
        <source>JSON that is not a list of records</source>
        <translation>JSON qui n&apos;est pas une liste d&apos;enregistrements</translation>
    </message>
    <message>
        <source>{name}: the first sheet is empty</source>
        <translation>{name} : la première feuille est vide</translation>
    </message>
    <message>
        <source>{name}: not a readable XLSX workbook ({error})</source>
        <translation>{name} : pas un classeur XLSX lisible ({error})</translation>
    </message>
    <message>
        <source>{name}: not a readable Parquet file ({error})</source>
        <translation>{name} : pas un fichier Parquet lisible ({error})</translation>
    </message>
    <message>
        <source>a PDF document</source>
        <translation>un document PDF</translation>
    </message>
    <message>
        <source>a PNG image</source>
        <translation>une image PNG</translation>
    </message>
    <message>
        <source>a JPEG image</source>
        <translation>une image JPEG</translation>
    </message>
    <message>
        <source>a GIF image</source>
        <translation>une image GIF</translation>
    </message>
    <message>
        <source>a ZIP archive (an XLSX workbook must end in .xlsx)</source>
        <translation>une archive ZIP (un classeur XLSX doit finir par .xlsx)</translation>
    </message>
    <message>
        <source>a gzip archive (unpack it first)</source>
        <translation>une archive gzip (décompressez-la d&apos;abord)</translation>
    </message>
    <message>
        <source>an old Office file (.xls: save it as .xlsx or CSV)</source>
        <translation>un ancien fichier Office (.xls : enregistrez-le en .xlsx ou CSV)</translation>
    </message>
    <message>
        <source>an SQLite database</source>
        <translation>une base de données SQLite</translation>
    </message>
    <message>
        <source>a 7-Zip archive</source>
        <translation>une archive 7-Zip</translation>
    </message>
    <message>
        <source>a RAR archive</source>
        <translation>une archive RAR</translation>
    </message>
    <message>
        <source>{name}: not a recognised event table (map its columns)</source>
        <translation>{name} : pas une table d&apos;événements reconnue (associez ses colonnes)</translation>
    </message>
    <message>
        <source>{name}: the file is empty (0 bytes)</source>
        <translation>{name} : le fichier est vide (0 octet)</translation>
    </message>
    <message>
        <source>binary data</source>
        <translation>des données binaires</translation>
    </message>
    <message>
        <source>{name}: not text: the file holds {found}, not a table</source>
        <translation>{name} : pas du texte : le fichier contient {found}, pas une table</translation>
    </message>
    <message>
        <source>{name}: {problem}</source>
        <translation>{name} : {problem}</translation>
    </message>
    <message>
        <source>uncertain attribution: {name} (as the source wrote it)</source>
        <translation>attribution incertaine : {name} (tel que la source l&apos;écrit)</translation>
    </message>
    <message>
        <source>{name} (as the source wrote it)</source>
        <translation>{name} (tel que la source l&apos;écrit)</translation>
    </message>
    <message>
        <source>{name}: no columns found in the first sheet</source>
        <translation>{name} : aucune colonne trouvée dans la première feuille</translation>
    </message>
    <message>
        <source>{name}: no columns found in the schema</source>
        <translation>{name} : aucune colonne trouvée dans le schéma</translation>
    </message>
    <message>
        <source>{name}: no columns found in the records</source>
        <translation>{name} : aucune colonne trouvée dans les enregistrements</translation>
    </message>
    <message>
        <source>{name}: the file is empty (only blank lines)</source>
        <translation>{name} : le fichier est vide (lignes blanches seulement)</translation>
    </message>
    <message>
        <source>{name}: no header: the first line is not a row of column names (found {first}); a table needs a header row with at least two columns</source>
        <translation>{name} : pas d&apos;en-tête : la première ligne n&apos;est pas une ligne de noms de colonnes (trouvé {first}) ; une table a besoin d&apos;une ligne d&apos;en-tête d&apos;au moins deux colonnes</translation>
    </message>
    <message>
        <source>{name}: has a header but no rows: nothing to open</source>
        <translation>{name} : un en-tête mais aucune ligne : rien à ouvrir</translation>
    </message>
    <message>
        <source>ignored unreadable {name}</source>
        <translation>{name} illisible, ignoré</translation>
    </message>
    <message>
        <source>{name}: cannot read as {reader}: {error}</source>
        <translation>{name} : illisible en tant que {reader} : {error}</translation>
    </message>
    <message>
        <source>the column mapping does not fit this file: {problem}</source>
        <translation>la correspondance de colonnes ne convient pas à ce fichier : {problem}</translation>
    </message>
    <message>
        <source>no date</source>
        <translation>pas de date</translation>
    </message>
    <message>
        <source>{count} non-numeric fatality value(s) read as unknown</source>
        <translation>{count} nombre(s) de morts non numérique(s) lu(s) comme inconnu(s)</translation>
    </message>
    <message>
        <source>{count} non-numeric coordinate(s) read as unknown</source>
        <translation>{count} coordonnée(s) non numérique(s) lue(s) comme inconnue(s)</translation>
    </message>
    <message>
        <source>columns mapped by a saved mapping for this header</source>
        <translation>colonnes associées par une correspondance enregistrée pour cet en-tête</translation>
    </message>
    <message>
        <source>{name}: the first line is not a header (it is blank)</source>
        <translation>{name} : la première ligne n&apos;est pas un en-tête (elle est vide)</translation>
    </message>
    <message>
        <source>every row ends with an extra empty field (trailing delimiter)</source>
        <translation>chaque ligne finit par un champ vide en trop (séparateur final)</translation>
    </message>
    <message>
        <source>skipped the HXL tag row under the header</source>
        <translation>ligne d&apos;étiquettes HXL sous l&apos;en-tête ignorée</translation>
    </message>
    <message>
        <source>skipped {count} blank line(s)</source>
        <translation>{count} ligne(s) vide(s) ignorée(s)</translation>
    </message>
    <message>
        <source>{name}: unreadable CSV near line {line}: {error}</source>
        <translation>{name} : CSV illisible vers la ligne {line} : {error}</translation>
    </message>
    <message>
        <source>decoded as Windows-1252 (the file is not valid UTF-8)</source>
        <translation>décodé en Windows-1252 (le fichier n&apos;est pas de l&apos;UTF-8 valide)</translation>
    </message>
    <message>
        <source>{name}: the file is empty</source>
        <translation>{name} : le fichier est vide</translation>
    </message>
    <message>
        <source>{name}: binary data, not a text table</source>
        <translation>{name} : des données binaires, pas une table de texte</translation>
    </message>
    <message>
        <source>wrong number of fields</source>
        <translation>mauvais nombre de champs</translation>
    </message>
    <message>
        <source>{name}: not a UCDP GED file (no {columns} column)</source>
        <translation>{name} : pas un fichier UCDP GED (pas de colonne {columns})</translation>
    </message>
    <message>
        <source>{count} event(s) end before they start; end set to start</source>
        <translation>{count} événement(s) finissent avant de commencer : fin mise au début</translation>
    </message>
    <message>
        <source>{count} row(s) with a non-numeric {column} (unknown)</source>
        <translation>{count} ligne(s) avec {column} non numérique (inconnu)</translation>
    </message>
    <message>
        <source>{events} events, {fatalities:g} known fatalities</source>
        <translation>{events} événements, {fatalities:g} morts connus</translation>
    </message>
    <message>
        <source>{first} to {last}</source>
        <translation>du {first} au {last}</translation>
    </message>
    <message>
        <source>{name} — before ({before_days}): {before};  after ({after_days}): {after};  events {change}</source>
        <translation>{name} — avant ({before_days}) : {before} ;  après ({after_days}) : {after} ;  événements {change}</translation>
    </message>
    <message>
        <source>{events} events, {fatalities:g} known fatalities, {unknown} with unknown toll</source>
        <translation>{events} événements, {fatalities:g} morts connus, {unknown} au bilan inconnu</translation>
    </message>
    <message>
        <source>not every dataset covers these weeks</source>
        <translation>couverture incomplète des données</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Zone</translation>
    </message>
    <message>
        <source>Outer ring</source>
        <translation>Couronne extérieure</translation>
    </message>
    <message>
        <source>events / week</source>
        <translation>événements / semaine</translation>
    </message>
    <message>
        <source>known fatalities / week</source>
        <translation>morts connus / semaine</translation>
    </message>
    <message>
        <source>■ before</source>
        <translation>■ avant</translation>
    </message>
    <message>
        <source>Largest changes (events naming the actor): {moved}</source>
        <translation>Plus grands changements (événements nommant l&apos;acteur) : {moved}</translation>
    </message>
    <message>
        <source>○ n: events with an unknown toll (not counted as zero)</source>
        <translation>○ n : événements au bilan inconnu (non comptés comme zéro)</translation>
    </message>
    <message>
        <source>■ after</source>
        <translation>■ après</translation>
    </message>
    <message>
        <source>   ┈ outer ring</source>
        <translation>   ┈ couronne extérieure</translation>
    </message>
    <message>
        <source>Before and after</source>
        <translation>Avant et après</translation>
    </message>
    <message>
        <source>{weeks} weeks before and after {day}</source>
        <translation>{weeks} semaines avant et après le {day}</translation>
    </message>
    <message>
        <source>{day} {month} {year}</source>
        <translation>{day} {month} {year}</translation>
    </message>
    <message>
        <source>January</source>
        <translation>janvier</translation>
    </message>
    <message>
        <source>February</source>
        <translation>février</translation>
    </message>
    <message>
        <source>March</source>
        <translation>mars</translation>
    </message>
    <message>
        <source>April</source>
        <translation>avril</translation>
    </message>
    <message>
        <source>May</source>
        <translation>mai</translation>
    </message>
    <message>
        <source>June</source>
        <translation>juin</translation>
    </message>
    <message>
        <source>July</source>
        <translation>juillet</translation>
    </message>
    <message>
        <source>August</source>
        <translation>août</translation>
    </message>
    <message>
        <source>September</source>
        <translation>septembre</translation>
    </message>
    <message>
        <source>October</source>
        <translation>octobre</translation>
    </message>
    <message>
        <source>November</source>
        <translation>novembre</translation>
    </message>
    <message>
        <source>December</source>
        <translation>décembre</translation>
    </message>
    <message>
        <source>{title}: {comparison}</source>
        <translation>{title} : {comparison}</translation>
    </message>
    <message>
        <source>All places</source>
        <translation>Tous les lieux</translation>
    </message>
    <message>
        <source>; outer ring to {km:g} km</source>
        <translation> ; couronne extérieure jusqu’à {km:g} km</translation>
    </message>
    <message>
        <source>Data: {citation}</source>
        <translation>Données : {citation}</translation>
    </message>
</context>
<context>
    <name>ParquetSaver</name>
    <message>
        <source>The data is Parquet already (open on DuckDB): File &gt; Export… writes the filtered rows as Parquet</source>
        <translation>Les données sont déjà en Parquet (ouvertes avec DuckDB) : Fichier &gt; Exporter… écrit les lignes filtrées en Parquet</translation>
    </message>
    <message>
        <source>Open event files first</source>
        <translation>Ouvrez d&apos;abord des fichiers d&apos;événements</translation>
    </message>
    <message>
        <source>Write every event of the open files (not only the filtered ones) as one Parquet file that DuckDB reads without loading it</source>
        <translation>Écrire tous les événements des fichiers ouverts (pas seulement les filtrés) en un fichier Parquet que DuckDB lit sans le charger</translation>
    </message>
    <message>
        <source>Save as Parquet dataset: all {events} events of the open files</source>
        <translation>Enregistrer en jeu de données Parquet : les {events} événements des fichiers ouverts</translation>
    </message>
    <message>
        <source>Parquet (*.parquet)</source>
        <translation>Parquet (*.parquet)</translation>
    </message>
    <message>
        <source>Could not save as Parquet</source>
        <translation>Enregistrement en Parquet impossible</translation>
    </message>
    <message>
        <source>{path} is an open file: choose another name</source>
        <translation>{path} est un fichier ouvert : choisissez un autre nom</translation>
    </message>
    <message>
        <source>Saving all {events} events of the open files (not only the filtered ones) to {path}…</source>
        <translation>Enregistrement des {events} événements des fichiers ouverts (pas seulement les filtrés) dans {path}…</translation>
    </message>
    <message>
        <source>cannot write {path}: {reason}</source>
        <translation>impossible d&apos;écrire {path} : {reason}</translation>
    </message>
    <message>
        <source>saving failed: {reason}</source>
        <translation>l&apos;enregistrement a échoué : {reason}</translation>
    </message>
    <message>
        <source>Saving {path} cancelled: nothing written</source>
        <translation>Enregistrement de {path} annulé : rien n&apos;a été écrit</translation>
    </message>
    <message>
        <source>Saved {events} events to {path}</source>
        <translation>{events} événements enregistrés dans {path}</translation>
    </message>
    <message>
        <source>Beside it: {provenance} (its sources, layout and the command that writes it again) and {meta} (the sources&apos; licences and citations).</source>
        <translation>À côté : {provenance} (ses sources, sa disposition et la commande qui l&apos;écrit à nouveau) et {meta} (les licences et citations des sources).</translation>
    </message>
    <message>
        <source>Saved as Parquet</source>
        <translation>Enregistré en Parquet</translation>
    </message>
    <message>
        <source>Open on DuckDB</source>
        <translation>Ouvrir avec DuckDB</translation>
    </message>
    <message>
        <source>Open the file on DuckDB instead of the files in memory</source>
        <translation>Ouvrir le fichier avec DuckDB à la place des fichiers en mémoire</translation>
    </message>
</context>
<context>
    <name>Precision</name>
    <message>
        <source>day</source>
        <translation>jour</translation>
    </message>
    <message>
        <source>week</source>
        <translation>semaine</translation>
    </message>
    <message>
        <source>month</source>
        <translation>mois</translation>
    </message>
    <message>
        <source>year</source>
        <translation>année</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>heure</translation>
    </message>
</context>
<context>
    <name>RegionTreeView</name>
    <message>
        <source>Find a place…</source>
        <translation>Chercher un lieu…</translation>
    </message>
    <message>
        <source>Regions</source>
        <translation>Régions</translation>
    </message>
</context>
<context>
    <name>RestoreBox</name>
    <message>
        <source>Restore the last session?</source>
        <translation>Restaurer la dernière session ?</translation>
    </message>
    <message>
        <source>The app did not close properly last time.</source>
        <translation>L’application ne s’est pas fermée correctement la dernière fois.</translation>
    </message>
    <message>
        <source>Restore the session saved at {when}: its files, filters and view?</source>
        <translation>Restaurer la session enregistrée le {when} : ses fichiers, ses filtres et sa vue ?</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restaurer</translation>
    </message>
    <message>
        <source>Start afresh</source>
        <translation>Repartir de zéro</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Type to find an action or a key…</source>
        <translation>Tapez pour chercher une action ou une touche…</translation>
    </message>
    <message>
        <source>Find a shortcut</source>
        <translation>Chercher un raccourci</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Menu</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Raccourci</translation>
    </message>
    <message>
        <source>Every action is also in a menu. Shortcuts follow your platform.</source>
        <translation>Chaque action est aussi dans un menu. Les raccourcis suivent votre système.</translation>
    </message>
</context>
<context>
    <name>SourceController</name>
    <message>
        <source>Opening {name} with DuckDB…</source>
        <translation>Ouverture de {name} avec DuckDB…</translation>
    </message>
    <message>
        <source>Opened {name} with DuckDB: {events} events</source>
        <translation>{name} ouvert avec DuckDB : {events} événements</translation>
    </message>
    <message>
        <source>The query failed: {error}</source>
        <translation>La requête a échoué : {error}</translation>
    </message>
    <message>
        <source>Export the selected events</source>
        <translation>Exporter les événements sélectionnés</translation>
    </message>
    <message>
        <source>Export the filtered events of the range</source>
        <translation>Exporter les événements filtrés de la plage</translation>
    </message>
    <message>
        <source>Export the filtered events</source>
        <translation>Exporter les événements filtrés</translation>
    </message>
    <message>
        <source>CSV (*.csv);;Parquet (*.parquet)</source>
        <translation>CSV (*.csv);;Parquet (*.parquet)</translation>
    </message>
    <message>
        <source>Could not export</source>
        <translation>Export impossible</translation>
    </message>
    <message>
        <source>Exporting to {path}…</source>
        <translation>Export vers {path}…</translation>
    </message>
    <message>
        <source>Exported {rows} rows to {path}</source>
        <translation>{rows} lignes exportées vers {path}</translation>
    </message>
    <message>
        <source>counting… of {total} events</source>
        <translation>comptage… sur {total} événements</translation>
    </message>
    <message>
        <source>{shown} of {total} events</source>
        <translation>{shown} sur {total} événements</translation>
    </message>
</context>
<context>
    <name>SourceSelection</name>
    <message>
        <source>Only the first {rows} rows are selected; File &gt; Export writes all</source>
        <translation>Seules les {rows} premières lignes sont sélectionnées ; Fichier &gt; Exporter les écrit toutes</translation>
    </message>
    <message>
        <source>The query failed: {error}</source>
        <translation>La requête a échoué : {error}</translation>
    </message>
    <message>
        <source>Copied the first {copied} selected rows; Edit &gt; Export Selection writes them all</source>
        <translation>Les {copied} premières lignes sélectionnées ont été copiées ; Édition &gt; Exporter la sélection les écrit toutes</translation>
    </message>
</context>
<context>
    <name>SourceTable</name>
    <message>
        <source>loading…</source>
        <translation>chargement…</translation>
    </message>
</context>
<context>
    <name>SourceTableView</name>
    <message>
        <source>Event table</source>
        <translation>Table des événements</translation>
    </message>
</context>
<context>
    <name>TimelinePlot</name>
    <message>
        <source>Compare Before and After this milestone…</source>
        <translation>Comparer avant et après ce jalon…</translation>
    </message>
    <message>
        <source>Compare Before and After this event…</source>
        <translation>Comparer avant et après cet événement…</translation>
    </message>
    <message>
        <source>Compare Before and After this day…</source>
        <translation>Comparer avant et après ce jour…</translation>
    </message>
</context>
<context>
    <name>TimelineWidget</name>
    <message>
        <source>Timeline tools</source>
        <translation>Outils de la chronologie</translation>
    </message>
    <message>
        <source>Back to the previous view (Alt+Left)</source>
        <translation>Revenir à la vue précédente (Alt+Gauche)</translation>
    </message>
    <message>
        <source>Forward (Alt+Right)</source>
        <translation>Vue suivante (Alt+Droite)</translation>
    </message>
    <message>
        <source>Fit all</source>
        <translation>Tout voir</translation>
    </message>
    <message>
        <source>Frame the visible events (Home)</source>
        <translation>Cadrer les événements visibles (Origine)</translation>
    </message>
    <message>
        <source>Zoom to selection</source>
        <translation>Zoom sur la sélection</translation>
    </message>
    <message>
        <source>Frame the selected events</source>
        <translation>Cadrer les événements sélectionnés</translation>
    </message>
    <message>
        <source> Lanes: </source>
        <translation> Lignes : </translation>
    </message>
    <message>
        <source>Lane grouping</source>
        <translation>Regroupement des lignes</translation>
    </message>
    <message>
        <source> Histograms: </source>
        <translation> Histogrammes : </translation>
    </message>
    <message>
        <source>Histogram measure</source>
        <translation>Mesure des histogrammes</translation>
    </message>
    <message>
        <source>What the histograms count when zoomed out</source>
        <translation>Ce que comptent les histogrammes en vue éloignée</translation>
    </message>
    <message>
        <source>events</source>
        <translation>événements</translation>
    </message>
    <message>
        <source>fatalities</source>
        <translation>morts</translation>
    </message>
    <message>
        <source>Period bands</source>
        <translation>Bandes de période</translation>
    </message>
    <message>
        <source>Mourning and blockade periods as bands across all lanes</source>
        <translation>Périodes de deuil et de blocus en bandes sur toutes les lignes</translation>
    </message>
    <message>
        <source>Filter to range</source>
        <translation>Filtrer sur la plage</translation>
    </message>
    <message>
        <source>Filter the events to the selected range</source>
        <translation>Filtrer les événements sur la plage sélectionnée</translation>
    </message>
    <message>
        <source>Export range…</source>
        <translation>Exporter la plage…</translation>
    </message>
    <message>
        <source>Export the events of the selected range</source>
        <translation>Exporter les événements de la plage sélectionnée</translation>
    </message>
    <message>
        <source> Shift+drag: select a range · right-drag: zoom</source>
        <translation> Maj+glisser : choisir une plage · glisser-droit : zoom</translation>
    </message>
    <message>
        <source>Shift+drag selects a range (Shift+click clears it); right-drag zooms</source>
        <translation>Maj+glisser choisit une plage (Maj+clic l&apos;efface) ; glisser avec le bouton droit zoome</translation>
    </message>
    <message>
        <source>Export timeline image</source>
        <translation>Exporter l&apos;image de la chronologie</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>Image PNG (*.png);;Image SVG (*.svg);;Document PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Could not export the image</source>
        <translation>Impossible d&apos;exporter l&apos;image</translation>
    </message>
</context>
<context>
    <name>Tooltip</name>
    <message>
        <source>{start} – {end}: {events} events, {total} fatalities</source>
        <translation>{start} – {end} : {events} événements, {total} morts</translation>
    </message>
    <message>
        <source> ({unknown} unknown)</source>
        <translation> ({unknown} inconnus)</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>(sans titre)</translation>
    </message>
    <message>
        <source>milestone</source>
        <translation>jalon</translation>
    </message>
    <message>
        <source>Actors: </source>
        <translation>Acteurs : </translation>
    </message>
    <message>
        <source>Fatalities: </source>
        <translation>Morts : </translation>
    </message>
    <message>
        <source>Dataset: </source>
        <translation>Jeu de données : </translation>
    </message>
    <message>
        <source>{events} events, {total} fatalities</source>
        <translation>{events} événements, {total} morts</translation>
    </message>
    <message>
        <source>click to select them</source>
        <translation>cliquer pour les sélectionner</translation>
    </message>
</context>
<context>
    <name>Trends</name>
    <message>
        <source>events with an unknown toll (not counted as 0)</source>
        <translation>événements au bilan inconnu (non comptés comme 0)</translation>
    </message>
    <message>
        <source>Week of {date}</source>
        <translation>Semaine du {date}</translation>
    </message>
    <message>
        <source>total: {total} {what}</source>
        <translation>total : {total} {what}</translation>
    </message>
    <message>
        <source>{count} event(s) with an unknown toll</source>
        <translation>{count} événement(s) au bilan inconnu</translation>
    </message>
    <message>
        <source>events</source>
        <translation>événements</translation>
    </message>
    <message>
        <source>known fatalities</source>
        <translation>morts connus</translation>
    </message>
</context>
<context>
    <name>TrendsWidget</name>
    <message>
        <source>auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <source>day</source>
        <translation>jour</translation>
    </message>
    <message>
        <source>week</source>
        <translation>semaine</translation>
    </message>
    <message>
        <source>month</source>
        <translation>mois</translation>
    </message>
    <message>
        <source>year</source>
        <translation>année</translation>
    </message>
    <message>
        <source>events</source>
        <translation>événements</translation>
    </message>
    <message>
        <source>known fatalities</source>
        <translation>morts connus</translation>
    </message>
    <message>
        <source>stacked</source>
        <translation>empilé</translation>
    </message>
    <message>
        <source>small multiples</source>
        <translation>petits multiples</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Compter</translation>
    </message>
    <message>
        <source>per</source>
        <translation>par</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>Save the chart as PNG or SVG, or its numbers as CSV</source>
        <translation>Enregistrer le graphique en PNG ou SVG, ou ses chiffres en CSV</translation>
    </message>
    <message>
        <source>Trends {option}</source>
        <translation>Tendances : {option}</translation>
    </message>
    <message>
        <source>  lanes: {lanes}</source>
        <translation>  lignes : {lanes}</translation>
    </message>
    <message>
        <source>{events} events, by {unit}</source>
        <translation>{events} événements, par {unit}</translation>
    </message>
    <message>
        <source>{count} with an unknown toll (counted apart, never as 0)</source>
        <translation>{count} au bilan inconnu (comptés à part, jamais comme 0)</translation>
    </message>
    <message>
        <source>{count} without a date (not counted)</source>
        <translation>{count} sans date (non comptés)</translation>
    </message>
    <message>
        <source>an event counts in the lane of each of its actors</source>
        <translation>un événement compte dans la ligne de chacun de ses acteurs</translation>
    </message>
    <message>
        <source>Export trends</source>
        <translation>Exporter les tendances</translation>
    </message>
    <message>
        <source>Events per {unit}{span}, by {lanes}</source>
        <translation>Événements par {unit}{span}, par {lanes}</translation>
    </message>
    <message>
        <source>Known fatalities per {unit}{span}, by {lanes}</source>
        <translation>Morts connus par {unit}{span}, par {lanes}</translation>
    </message>
    <message>
        <source>; {count} events with an unknown toll apart</source>
        <translation> ; {count} événements au bilan inconnu à part</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Filter Change</source>
        <translation>la modification du filtre</translation>
    </message>
    <message>
        <source>Search Text</source>
        <translation>la recherche de texte</translation>
    </message>
    <message>
        <source>View Change</source>
        <translation>le changement de vue</translation>
    </message>
    <message>
        <source>Lane Grouping</source>
        <translation>le regroupement des lignes</translation>
    </message>
    <message>
        <source>Column Change</source>
        <translation>la modification des colonnes</translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <source>Filters</source>
        <translation>Filtres</translation>
    </message>
    <message>
        <source>Narrow the events by actor, region, type, date, fatalities</source>
        <translation>Restreindre les événements par acteur, région, type, date, morts</translation>
    </message>
    <message>
        <source>Events table</source>
        <translation>Table des événements</translation>
    </message>
    <message>
        <source>The events that pass the filters; select to see details</source>
        <translation>Les événements qui passent les filtres ; sélectionnez pour voir les détails</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Chronologie</translation>
    </message>
    <message>
        <source>Events on a date axis; + and - zoom, arrows pan, Home fits all</source>
        <translation>Les événements sur un axe des dates ; + et - zooment, les flèches font défiler, Début montre tout</translation>
    </message>
    <message>
        <source>Event details</source>
        <translation>Détails de l&apos;événement</translation>
    </message>
    <message>
        <source>Everything known about the selected event</source>
        <translation>Tout ce qu&apos;on sait de l&apos;événement sélectionné</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Carte</translation>
    </message>
    <message>
        <source>Where the filtered events happened; click to select, draw to filter</source>
        <translation>Où les événements filtrés ont eu lieu ; cliquez pour sélectionner, tracez pour filtrer</translation>
    </message>
    <message>
        <source>{view} panel</source>
        <translation>Panneau {view}</translation>
    </message>
</context>
<context>
    <name>WorkspaceController</name>
    <message>
        <source>Workspaces (*{suffix});;All files (*)</source>
        <translation>Espaces de travail (*{suffix});;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Save workspace</source>
        <translation>Enregistrer l&apos;espace de travail</translation>
    </message>
    <message>
        <source>Nothing to save</source>
        <translation>Rien à enregistrer</translation>
    </message>
    <message>
        <source>Open a file before saving a workspace.</source>
        <translation>Ouvrez un fichier avant d&apos;enregistrer un espace de travail.</translation>
    </message>
    <message>
        <source>Computing file checksums for the workspace…</source>
        <translation>Calcul des sommes de contrôle des fichiers de l&apos;espace de travail…</translation>
    </message>
    <message>
        <source>Could not save the workspace</source>
        <translation>Impossible d&apos;enregistrer l&apos;espace de travail</translation>
    </message>
    <message>
        <source>Saved workspace {name}</source>
        <translation>Espace de travail {name} enregistré</translation>
    </message>
    <message>
        <source>Open workspace</source>
        <translation>Ouvrir un espace de travail</translation>
    </message>
    <message>
        <source>Still opening a workspace…</source>
        <translation>Un espace de travail est encore en cours d&apos;ouverture…</translation>
    </message>
    <message>
        <source>Opening workspace {name}…</source>
        <translation>Ouverture de l&apos;espace de travail {name}…</translation>
    </message>
    <message>
        <source>Opening the workspace was cancelled</source>
        <translation>L&apos;ouverture de l&apos;espace de travail a été annulée</translation>
    </message>
    <message>
        <source>unexpected error: {reason}</source>
        <translation>erreur inattendue : {reason}</translation>
    </message>
    <message>
        <source>Could not open the workspace</source>
        <translation>Impossible d&apos;ouvrir l&apos;espace de travail</translation>
    </message>
    <message>
        <source>{name}: could not show its files together: {reason}</source>
        <translation>{name} : impossible d&apos;afficher ses fichiers ensemble : {reason}</translation>
    </message>
    <message>
        <source>Likely-same events not found: {reason}</source>
        <translation>Événements probablement identiques introuvables : {reason}</translation>
    </message>
    <message>
        <source>The workspace&apos;s likely-same search was cancelled</source>
        <translation>La recherche d&apos;événements probablement identiques de l&apos;espace de travail a été annulée</translation>
    </message>
    <message>
        <source>Finding the workspace&apos;s likely-same events ({first}, {second})…</source>
        <translation>Recherche des événements probablement identiques de l&apos;espace de travail ({first}, {second})…</translation>
    </message>
    <message>
        <source>{pairs} likely-same pairs found again ({first} against {second})</source>
        <translation>{pairs} paires probablement identiques retrouvées ({first} face à {second})</translation>
    </message>
    <message>
        <source>Left out (not found): {path}</source>
        <translation>Écarté (introuvable) : {path}</translation>
    </message>
    <message>
        <source>Opened although it changed since saved: {path}</source>
        <translation>Ouvert bien qu&apos;il ait changé depuis l&apos;enregistrement : {path}</translation>
    </message>
    <message>
        <source>Could not read: {reason}</source>
        <translation>Illisible : {reason}</translation>
    </message>
    <message>
        <source>{count} selected event(s) no longer in the files: </source>
        <translation>{count} événement(s) sélectionné(s) absent(s) des fichiers : </translation>
    </message>
    <message>
        <source>Workspace opened with problems</source>
        <translation>Espace de travail ouvert avec des problèmes</translation>
    </message>
    <message>
        <source> (and {count} more)</source>
        <translation> (et {count} autres)</translation>
    </message>
    <message>
        <source>Opened workspace {name}</source>
        <translation>Espace de travail {name} ouvert</translation>
    </message>
    <message>
        <source>; selected but hidden by the filters: {titles}</source>
        <translation> ; sélectionnés mais masqués par les filtres : {titles}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
</context>
<context>
    <name>widget</name>
    <message>
        <source>The timeline&apos;s query failed: {error}</source>
        <translation>La requête de la chronologie a échoué : {error}</translation>
    </message>
</context>
</TS>
