<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="cy" sourcelanguage="en">
<context>
    <name>@default</name>
    <message>
        <location filename="../ui/messages.py" line="20" />
        <source>OS Data Hub</source>
        <translation>OS Data Hub</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="89" />
        <source>Ordnance Survey data from the OS Data Hub</source>
        <translation>Data Ordnance Survey o OS Data Hub</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="99" />
        <source>Open the OS Data Hub panel</source>
        <translation>Agor panel OS Data Hub</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="108" />
        <source>OpenData</source>
        <translation>OpenData</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="110" />
        <source>OS OpenData products: free, no API key needed</source>
        <translation>Cynhyrchion OS OpenData: am ddim, dim angen allwedd API</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="344" />
        <source>Open in OS Data Hub panel</source>
        <translation>Agor ym mhanel OS Data Hub</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="165" />
        <source>{0} files</source>
        <translation>{0} ffeil</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="196" />
        <source>{0}, {1} — double-click or drag onto the map to download and add it</source>
        <translation>{0}, {1} — cliciwch ddwywaith neu llusgwch i'r map i'w lawrlwytho a'i hychwanegu</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="217" />
        <source>Download and add to map</source>
        <translation>Lawrlwytho ac ychwanegu at y map</translation>
    </message>
    <message>
        <location filename="../browser/session.py" line="181" />
        <source>Download to…</source>
        <translation>Lawrlwytho i…</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="232" />
        <source>Double-click to use the stored API key</source>
        <translation>Cliciwch ddwywaith i ddefnyddio'r allwedd API a gadwyd</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="250" />
        <source>Basemaps</source>
        <translation>Mapiau sylfaen</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="252" />
        <source>OS Maps API layers (needs an OS Data Hub API key)</source>
        <translation>Haenau OS Maps API (angen allwedd API OS Data Hub)</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="255" />
        <source>OS Maps needs an OS Data Hub API key: enter it in the plugin's settings.</source>
        <translation>Mae angen allwedd API OS Data Hub ar OS Maps: rhowch hi yng ngosodiadau'r ategyn.</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="280" />
        <source>{0} — double-click or drag onto the map to add it</source>
        <translation>{0} — cliciwch ddwywaith neu llusgwch i'r map i'w hychwanegu</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="298" />
        <source>Add to map</source>
        <translation>Ychwanegu at y map</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="81" />
        <source>Data packages</source>
        <translation>Pecynnau data</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="309" />
        <source>Premium data packages ordered on the OS Data Hub web site</source>
        <translation>Pecynnau data premiwm a archebwyd ar wefan OS Data Hub</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="321" />
        <source>No data packages yet: order one on the OS Data Hub web site (https://osdatahub.os.uk).</source>
        <translation>Dim pecynnau data eto: archebwch un ar wefan OS Data Hub (https://osdatahub.os.uk).</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="385" />
        <source>Download all and add to map</source>
        <translation>Lawrlwytho'r cyfan ac ychwanegu at y map</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="387" />
        <source>Download all to…</source>
        <translation>Lawrlwytho'r cyfan i…</translation>
    </message>
    <message>
        <location filename="../browser/session.py" line="163" />
        <source>Data packages need the OS Data Hub API key: enter it in the plugin's settings.</source>
        <translation>Mae angen allwedd API OS Data Hub ar gyfer pecynnau data: rhowch hi yng ngosodiadau'r ategyn.</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="113" />
        <source>Downloading {0} files to {1}…</source>
        <translation>Yn lawrlwytho {0} ffeil i {1}…</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="118" />
        <source>Download cancelled. Partly downloaded files are kept and resume when you download again.</source>
        <translation>Canslwyd y lawrlwytho. Mae ffeiliau a lawrlwythwyd yn rhannol yn cael eu cadw, a byddan nhw'n parhau pan fyddwch chi'n lawrlwytho eto.</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="161" />
        <source>Could not open: {0}.</source>
        <translation>Methu agor: {0}.</translation>
    </message>
    <message>
        <location filename="../browser/session.py" line="195" />
        <source>OS Maps needs the OS Data Hub API key and its layer list: open Basemaps in the Browser again.</source>
        <translation>Mae angen yr allwedd API OS Data Hub a'r rhestr haenau ar OS Maps: agorwch Mapiau sylfaen yn y Browser eto.</translation>
    </message>
    <message>
        <location filename="../browser/session.py" line="201" />
        <source>QGIS could not open the OS Maps layer {0}.</source>
        <translation>Methodd QGIS agor yr haen OS Maps {0}.</translation>
    </message>
    <message>
        <location filename="../core/basemap_layers.py" line="82" />
        <source>OS Maps – {style} ({crs})</source>
        <translation>OS Maps – {style} ({crs})</translation>
    </message>
    <message>
        <location filename="../core/basemap_layers.py" line="128" />
        <source>OS Maps API, {style} style in {crs} ({id}).</source>
        <translation>OS Maps API, arddull {style} yn {crs} ({id}).</translation>
    </message>
    <message>
        <location filename="../core/basemap_layers.py" line="133" />
        <source>Every zoom level of this layer is open to all API keys.</source>
        <translation>Mae pob lefel chwyddo yn yr haen hon yn agored i bob allwedd API.</translation>
    </message>
    <message>
        <location filename="../core/basemap_layers.py" line="135" />
        <source>Premium zoom levels are available with this API key: all levels are shown.</source>
        <translation>Mae lefelau chwyddo premiwm ar gael gyda'r allwedd API hon: mae pob lefel yn cael ei dangos.</translation>
    </message>
    <message>
        <location filename="../core/basemap_layers.py" line="138" />
        <source>about 1:{0}</source>
        <translation>tua 1:{0}</translation>
    </message>
    <message>
        <location filename="../core/basemap_layers.py" line="139" />
        <source>This API key has no OS Maps premium plan.</source>
        <translation>Does gan yr allwedd API hon ddim cynllun premiwm OS Maps.</translation>
    </message>
    <message>
        <location filename="../core/basemap_layers.py" line="139" />
        <source>Whether this API key has an OS Maps premium plan is not known, so open levels only are assumed.</source>
        <translation>Nid yw'n hysbys a oes gan yr allwedd API hon gynllun premiwm OS Maps, felly tybir mai dim ond y lefelau agored sydd ar gael.</translation>
    </message>
    <message>
        <location filename="../core/basemap_layers.py" line="145" />
        <source>Zoom levels {first} and closer need a premium plan: the layer is drawn down to zoom level {last} ({scale}) and hidden when zoomed in further, instead of showing broken tiles.</source>
        <translation>Mae angen cynllun premiwm ar gyfer lefelau chwyddo {first} ac agosach: mae'r haen yn cael ei lluniadu hyd at lefel chwyddo {last} ({scale}) ac yn cael ei chuddio wrth chwyddo i mewn ymhellach, yn hytrach na dangos teils sydd wedi torri.</translation>
    </message>
    <message>
        <location filename="../core/basemap_service.py" line="129" />
        <source>Loading the OS Maps layers</source>
        <translation>Llwytho haenau OS Maps</translation>
    </message>
    <message>
        <location filename="../core/basemap_service.py" line="194" />
        <source>Loading a preview of {0}</source>
        <translation>Llwytho rhagolwg o {0}</translation>
    </message>
    <message>
        <location filename="../core/cache.py" line="46" />
        <source>The cache {0} could not be written: {1}</source>
        <translation>Methu ysgrifennu'r storfa {0}: {1}</translation>
    </message>
    <message>
        <location filename="../core/cache.py" line="71" />
        <source>A thumbnail could not be cached: {0}</source>
        <translation>Methu cadw llun bach yn y storfa: {0}</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="45" />
        <source>the key (or secret) was refused (401): check that you copied the project's key from the OS Data Hub, without spaces.</source>
        <translation>gwrthodwyd yr allwedd (neu'r gyfrinach) (401): gwiriwch eich bod wedi copïo allwedd y prosiect o OS Data Hub, heb fylchau.</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="48" />
        <source>the key works but this project has no access to this API (403): add the API to the project on the OS Data Hub.</source>
        <translation>mae'r allwedd yn gweithio ond does gan y prosiect hwn ddim mynediad i'r API hwn (403): ychwanegwch yr API at y prosiect ar OS Data Hub.</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="66" />
        <source>OS OpenData</source>
        <translation>OS OpenData</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="62" />
        <source>reachable, {0} products (no key needed)</source>
        <translation>ar gael, {0} cynnyrch (dim angen allwedd)</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="73" />
        <source>the key works: {0} data packages</source>
        <translation>mae'r allwedd yn gweithio: {0} pecyn data</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="73" />
        <source>the key works; no data packages yet (order them on the OS Data Hub)</source>
        <translation>mae'r allwedd yn gweithio; dim pecynnau data eto (archebwch nhw ar OS Data Hub)</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="78" />
        <source>(signed in with OAuth 2)</source>
        <translation>(wedi mewngofnodi gydag OAuth 2)</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="89" />
        <source>premium zoom levels included</source>
        <translation>lefelau chwyddo premiwm wedi'u cynnwys</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="90" />
        <source>open zoom levels (no premium plan)</source>
        <translation>lefelau chwyddo agored (dim cynllun premiwm)</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="91" />
        <source>premium access unknown</source>
        <translation>mynediad premiwm yn anhysbys</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="96" />
        <source>OS Maps basemaps</source>
        <translation>Mapiau sylfaen OS Maps</translation>
    </message>
    <message>
        <location filename="../core/credential_check.py" line="92" />
        <source>the key works: {0} layers, {1}</source>
        <translation>mae'r allwedd yn gweithio: {0} haen, {1}</translation>
    </message>
    <message>
        <location filename="../core/download_task.py" line="34" />
        <source>Downloading {0}</source>
        <translation>Lawrlwytho {0}</translation>
    </message>
    <message>
        <location filename="../core/tasks.py" line="29" />
        <source>Unexpected error: {0}</source>
        <translation>Gwall annisgwyl: {0}</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="85" />
        <source>{0} was not unpacked, so it was not added to the map.</source>
        <translation>Ni chafodd {0} ei dadbacio, felly ni chafodd ei hychwanegu at y map.</translation>
    </message>
    <message>
        <location filename="../core/download_task.py" line="75" />
        <source>The layers could not be added: {0}</source>
        <translation>Methu ychwanegu'r haenau: {0}</translation>
    </message>
    <message>
        <location filename="../core/grid_layer.py" line="33" />
        <source>National Grid 100 km squares</source>
        <translation>Sgwariau 100 km y Grid Cenedlaethol</translation>
    </message>
    <message>
        <location filename="../core/network.py" line="88" />
        <source>The trusted certificates could not be written to {0}: {1}</source>
        <translation>Methu ysgrifennu'r tystysgrifau dibynadwy i {0}: {1}</translation>
    </message>
    <message>
        <location filename="../core/tasks.py" line="138" />
        <source>Cancelled.</source>
        <translation>Canslwyd.</translation>
    </message>
    <message>
        <location filename="../core/tasks.py" line="78" />
        <source>A background task could not report back: {0}</source>
        <translation>Methodd tasg gefndir adrodd yn ôl: {0}</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="318" />
        <source>{0}: downloaded and verified</source>
        <translation>{0}: wedi'i lawrlwytho a'i gwirio</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="320" />
        <source>{0}: already there</source>
        <translation>{0}: yno'n barod</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="331" />
        <source>Cancelled. Partly downloaded files are kept and resume when you run it again.</source>
        <translation>Canslwyd. Mae ffeiliau a lawrlwythwyd yn rhannol yn cael eu cadw, a byddan nhw'n parhau pan fyddwch chi'n ei redeg eto.</translation>
    </message>
    <message>
        <location filename="../processing_provider/provider.py" line="30" />
        <source>OS Data Hub (Ordnance Survey downloads and basemaps)</source>
        <translation>OS Data Hub (lawrlwythiadau a mapiau sylfaen Ordnance Survey)</translation>
    </message>
    <message>
        <location filename="../ui/basemap_actions.py" line="18" />
        <source>This project has OS Maps layers, but no OS Data Hub API key is stored on this computer, so they cannot be drawn. Add the key in Settings → Options → OS Data Hub, then open the project again.</source>
        <translation>Mae gan y prosiect hwn haenau OS Maps, ond does dim allwedd API OS Data Hub wedi'i chadw ar y cyfrifiadur hwn, felly does dim modd eu lluniadu. Ychwanegwch yr allwedd yn Settings → Options → OS Data Hub, yna agorwch y prosiect eto.</translation>
    </message>
    <message>
        <location filename="../ui/basemap_actions.py" line="48" />
        <source>{0} stops at zoom level {1} (about 1:{2}): closer zoom levels need an OS Maps premium plan, which this API key does not have (or could not be checked).</source>
        <translation>Mae {0} yn stopio ar lefel chwyddo {1} (tua 1:{2}): mae angen cynllun premiwm OS Maps ar gyfer lefelau chwyddo agosach, a does gan yr allwedd API hon ddim un (neu nid oedd modd gwirio hynny).</translation>
    </message>
    <message>
        <location filename="../ui/basemap_actions.py" line="76" />
        <source>Add OS basemap</source>
        <translation>Ychwanegu map sylfaen OS</translation>
    </message>
    <message>
        <location filename="../ui/basemap_actions.py" line="82" />
        <source>Add the OS Maps Road basemap in the project's CRS (British National Grid or Web Mercator) at the bottom of the layer list</source>
        <translation>Ychwanegu map sylfaen Road OS Maps yn CRS y prosiect (Grid Cenedlaethol Prydain neu Web Mercator) ar waelod y rhestr haenau</translation>
    </message>
    <message>
        <location filename="../browser/items.py" line="165" />
        <source>1 file</source>
        <translation>1 ffeil</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="113" />
        <source>Downloading 1 file to {1}…</source>
        <translation>Yn lawrlwytho 1 ffeil i {1}…</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="158" />
        <source>1 layer added.</source>
        <translation>Ychwanegwyd 1 haen.</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="158" />
        <source>{0} layers added.</source>
        <translation>Ychwanegwyd {0} haen.</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="130" />
        <source>Folder: {0}</source>
        <translation>Ffolder: {0}</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="130" />
        <source>Downloaded and verified: {0}</source>
        <translation>Wedi'i lawrlwytho a'i gwirio: {0}</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="130" />
        <source>Already there and verified: {0}</source>
        <translation>Yno'n barod ac wedi'i gwirio: {0}</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="139" />
        <source>{0} of {1} files failed: {2}</source>
        <translation>Methodd {0} o {1} ffeil: {2}</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="142" />
        <source>(details in the OS Data Hub log)</source>
        <translation>(manylion yn log OS Data Hub)</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="144" />
        <source>1 layer was added from the files that were verified.</source>
        <translation>Ychwanegwyd 1 haen o'r ffeiliau a ddilyswyd.</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="144" />
        <source>{0} layers were added from the files that were verified.</source>
        <translation>Ychwanegwyd {0} haen o'r ffeiliau a ddilyswyd.</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="154" />
        <source>1 file ready in {1} ({2} already there).</source>
        <translation>1 ffeil yn barod yn {1} ({2} yno'n barod).</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="154" />
        <source>{0} files ready in {1} ({2} already there).</source>
        <translation>{0} ffeil yn barod yn {1} ({2} yno'n barod).</translation>
    </message>
    <message>
        <location filename="../core/catalogue.py" line="71" />
        <source>Loading OS OpenData products</source>
        <translation>Llwytho cynhyrchion OS OpenData</translation>
    </message>
    <message>
        <location filename="../core/catalogue.py" line="116" />
        <source>Loading a picture of {0}</source>
        <translation>Llwytho llun o {0}</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="89" />
        <source>{0} was left out: {1}.</source>
        <translation>{0}: gadawyd hi allan: {1}.</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="151" />
        <source>they hold no data QGIS can show as a layer.</source>
        <translation>nid oes ynddynt ddata y gall QGIS ei ddangos fel haen.</translation>
    </message>
    <message>
        <location filename="../core/downloads.py" line="152" />
        <source>No layer was added from {0}: {1}</source>
        <translation>Ni ychwanegwyd haen o {0}: {1}</translation>
    </message>
</context>
<context>
    <name>AddBasemap</name>
    <message>
        <location filename="../processing_provider/add_basemap.py" line="36" />
        <source>Add an OS Maps basemap</source>
        <translation>Ychwanegu map sylfaen OS Maps</translation>
    </message>
    <message>
        <location filename="../processing_provider/add_basemap.py" line="39" />
        <source>Adds an OS Maps API layer (WMTS) to the project, with the OS attribution. Needs the project's API key, stored in the plugin's settings; it is kept out of saved projects. Without a premium plan the layer is drawn down to the last open zoom level and hidden closer in.

LAYER: Road_27700, Outdoor_27700, Light_27700, Leisure_27700 (British National Grid) or Road_3857, Outdoor_3857, Light_3857 (Web Mercator).

Output: OUTPUT, the layer added.</source>
        <translation>Yn ychwanegu haen OS Maps API (WMTS) at y prosiect, gyda phriodoliad OS. Mae angen allwedd API y prosiect, wedi'i chadw yng ngosodiadau'r ategyn; mae'n cael ei chadw allan o brosiectau a gadwyd. Heb gynllun premiwm, mae'r haen yn cael ei lluniadu hyd at y lefel chwyddo agored olaf a'i chuddio'n agosach i mewn.

LAYER: Road_27700, Outdoor_27700, Light_27700, Leisure_27700 (Grid Cenedlaethol Prydain) neu Road_3857, Outdoor_3857, Light_3857 (Web Mercator).

Allbwn: OUTPUT, yr haen a ychwanegwyd.</translation>
    </message>
    <message>
        <location filename="../processing_provider/add_basemap.py" line="55" />
        <source>OS Maps layer (e.g. Road_27700)</source>
        <translation>Haen OS Maps (e.e. Road_27700)</translation>
    </message>
    <message>
        <location filename="../processing_provider/add_basemap.py" line="57" />
        <source>OS Maps layer</source>
        <translation>Haen OS Maps</translation>
    </message>
    <message>
        <location filename="../processing_provider/add_basemap.py" line="63" />
        <source>OS Maps needs an OS Data Hub API key: enter it in the plugin's settings (Settings → Options → OS Data Hub) first.</source>
        <translation>Mae angen allwedd API OS Data Hub ar OS Maps: rhowch hi yng ngosodiadau'r ategyn (Settings → Options → OS Data Hub) yn gyntaf.</translation>
    </message>
    <message>
        <location filename="../processing_provider/add_basemap.py" line="73" />
        <source>OS Maps has no layer '{0}'. Its layers are: {1}.</source>
        <translation>Does gan OS Maps ddim haen '{0}'. Haenau OS Maps yw: {1}.</translation>
    </message>
    <message>
        <location filename="../processing_provider/add_basemap.py" line="80" />
        <source>QGIS could not open the OS Maps layer {0}: check the API key and the network.</source>
        <translation>Methodd QGIS agor yr haen OS Maps {0}: gwiriwch yr allwedd API a'r rhwydwaith.</translation>
    </message>
    <message>
        <location filename="../processing_provider/add_basemap.py" line="83" />
        <source>Added {0}</source>
        <translation>Ychwanegwyd {0}</translation>
    </message>
    <message>
        <location filename="../processing_provider/add_basemap.py" line="103" />
        <source>Using the saved OS Maps layer list: {0}</source>
        <translation>Yn defnyddio'r rhestr haenau OS Maps a gadwyd: {0}</translation>
    </message>
</context>
<context>
    <name>BasemapsTab</name>
    <message>
        <location filename="../ui/basemaps_tab.py" line="57" />
        <source>OS Maps needs an OS Data Hub API key (a free project on osdatahub.os.uk with the OS Maps API added). Add the key in Settings → Options → OS Data Hub; the layers are listed here then.</source>
        <translation>Mae angen allwedd API OS Data Hub ar OS Maps (prosiect am ddim ar osdatahub.os.uk gyda'r OS Maps API wedi'i ychwanegu). Ychwanegwch yr allwedd yn Settings → Options → OS Data Hub; wedyn bydd yr haenau'n cael eu rhestru yma.</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="74" />
        <source>Style</source>
        <translation>Arddull</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="74" />
        <source>CRS</source>
        <translation>CRS</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="74" />
        <source>Zoom levels</source>
        <translation>Lefelau chwyddo</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="91" />
        <source>Refresh</source>
        <translation>Adnewyddu</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="136" />
        <source>Loading the OS Maps layers…</source>
        <translation>Yn llwytho haenau OS Maps…</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="162" />
        <source>Showing the saved list: {0}</source>
        <translation>Yn dangos y rhestr a gadwyd: {0}</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="185" />
        <source>{0} OS Maps layers</source>
        <translation>{0} haen OS Maps</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="186" />
        <source>Default for this project: {0} (British National Grid layers for a British National Grid project, Web Mercator otherwise).</source>
        <translation>Rhagosodiad ar gyfer y prosiect hwn: {0} (haenau Grid Cenedlaethol Prydain ar gyfer prosiect Grid Cenedlaethol Prydain, Web Mercator fel arall).</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="203" />
        <source>(premium from {0})</source>
        <translation>(premiwm o {0})</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="220" />
        <source>Your API key has an OS Maps premium plan: every zoom level is shown.</source>
        <translation>Mae gan eich allwedd API gynllun premiwm OS Maps: mae pob lefel chwyddo yn cael ei dangos.</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="222" />
        <source>Your API key has no OS Maps premium plan: layers are drawn down to the last open zoom level and hidden closer in, instead of showing broken tiles.</source>
        <translation>Does gan eich allwedd API ddim cynllun premiwm OS Maps: mae haenau'n cael eu lluniadu hyd at y lefel chwyddo agored olaf a'u cuddio'n agosach i mewn, yn hytrach na dangos teils sydd wedi torri.</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="227" />
        <source>Not yet known whether your API key has an OS Maps premium plan: open zoom levels only are assumed.</source>
        <translation>Nid yw'n hysbys eto a oes gan eich allwedd API gynllun premiwm OS Maps: tybir mai dim ond y lefelau chwyddo agored sydd ar gael.</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="259" />
        <source>QGIS could not open {0}: check the API key in Settings → Options → OS Data Hub and the network connection.</source>
        <translation>Methodd QGIS agor {0}: gwiriwch yr allwedd API yn Settings → Options → OS Data Hub a'r cysylltiad rhwydwaith.</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="264" />
        <source>Added {0} at the bottom of the layer list.</source>
        <translation>Ychwanegwyd {0} ar waelod y rhestr haenau.</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="268" />
        <source>It is drawn down to zoom level {0} (about 1:{1}): closer levels need an OS Maps premium plan.</source>
        <translation>Mae'n cael ei lluniadu hyd at lefel chwyddo {0} (tua 1:{1}): mae angen cynllun premiwm OS Maps ar gyfer lefelau agosach.</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="289" />
        <source>Could not load the OS Maps layers: {0}</source>
        <translation>Methu llwytho haenau OS Maps: {0}</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="289" />
        <source>unknown error</source>
        <translation>gwall anhysbys</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="80" />
        <source>The OS Maps layers. Enter or a double click adds the selected one to the map.</source>
        <translation>Haenau OS Maps. Mae Enter neu glic dwbl yn ychwanegu'r un a ddewiswyd at y map.</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="82" />
        <source>OS Maps layers</source>
        <translation>Haenau OS Maps</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="86" />
        <source>&amp;Add to map</source>
        <translation>&amp;Ychwanegu at y map</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="87" />
        <source>Add the selected OS Maps layer at the bottom of the layer list. Enter in the list does the same.</source>
        <translation>Ychwanegu'r haen OS Maps a ddewiswyd ar waelod y rhestr haenau. Mae Enter yn y rhestr yn gwneud yr un peth.</translation>
    </message>
    <message>
        <location filename="../ui/basemaps_tab.py" line="92" />
        <source>Load the OS Maps layer list again.</source>
        <translation>Llwytho rhestr haenau OS Maps eto.</translation>
    </message>
</context>
<context>
    <name>DownloadAlgorithm</name>
    <message>
        <location filename="../processing_provider/base.py" line="201" />
        <source>Download folder</source>
        <translation>Ffolder lawrlwytho</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="205" />
        <source>The files go straight into this folder; files already there and verified are not downloaded again.</source>
        <translation>Mae'r ffeiliau'n mynd yn syth i'r ffolder hwn; nid yw ffeiliau sydd yno'n barod ac wedi'u gwirio yn cael eu lawrlwytho eto.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="208" />
        <source>Unpack the zip files (safely)</source>
        <translation>Dadbacio'r ffeiliau zip (yn ddiogel)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="210" />
        <source>Load the layers into the project</source>
        <translation>Llwytho'r haenau i'r prosiect</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="222" />
        <source>Downloaded files</source>
        <translation>Ffeiliau a lawrlwythwyd</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="224" />
        <source>Loaded layers</source>
        <translation>Haenau a lwythwyd</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="234" />
        <source>Data packages need an OS Data Hub API key: enter it in the OS Data Hub panel's settings (Settings → Options → OS Data Hub) first.</source>
        <translation>Mae angen allwedd API OS Data Hub ar gyfer pecynnau data: rhowch hi yng ngosodiadau panel OS Data Hub (Settings → Options → OS Data Hub) yn gyntaf.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="262" />
        <source>Cancelled.</source>
        <translation>Canslwyd.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="263" />
        <source>Downloading {0} files of {1} to {2}</source>
        <translation>Yn lawrlwytho {0} ffeil o {1} i {2}</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="296" />
        <source>Could not open {0} as a layer.</source>
        <translation>Methu agor {0} fel haen.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="263" />
        <source>Downloading 1 file of {1} to {2}</source>
        <translation>Yn lawrlwytho 1 ffeil o {1} i {2}</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="189" />
        <source>STORE: geopackage (the default) imports the vector data into one GeoPackage per product and version, &lt;product&gt;_&lt;version&gt;.gpkg in the folder, one table per theme however many squares; files keeps the files as downloaded, one layer per theme all the same. Rasters become VRT mosaics either way.</source>
        <translation>STORE: mae geopackage (y rhagosodiad) yn mewnforio'r data fector i un GeoPackage ar gyfer pob cynnyrch a fersiwn, &lt;product&gt;_&lt;version&gt;.gpkg yn y ffolder, un tabl ar gyfer pob thema faint bynnag o sgwariau sydd; mae files yn cadw'r ffeiliau fel y'u lawrlwythwyd, un haen ar gyfer pob thema yr un fath. Daw'r rasterau yn fosaigau VRT y naill ffordd neu'r llall.</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="212" />
        <source>Load: geopackage (one GeoPackage per product, recommended) or files (the files as downloaded)</source>
        <translation>Llwytho: geopackage (un GeoPackage ar gyfer pob cynnyrch, argymhellir) neu files (y ffeiliau fel y'u lawrlwythwyd)</translation>
    </message>
    <message>
        <location filename="../processing_provider/base.py" line="217" />
        <source>geopackage: every square and tile of a theme goes into one table of &lt;product&gt;_&lt;version&gt;.gpkg in the download folder. files: the files stay as they are; the files of one theme still make one layer.</source>
        <translation>geopackage: mae pob sgwâr a theilsen o thema yn mynd i un tabl o &lt;product&gt;_&lt;version&gt;.gpkg yn y ffolder lawrlwytho. files: mae'r ffeiliau'n aros fel y maent; mae ffeiliau un thema yn dal i wneud un haen.</translation>
    </message>
</context>
<context>
    <name>DownloadControls</name>
    <message>
        <location filename="../ui/download_controls.py" line="67" />
        <source>Unpack</source>
        <translation>Dadbacio</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="70" />
        <source>Add to map</source>
        <translation>Ychwanegu at y map</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="98" />
        <source>Cancel</source>
        <translation>Canslo</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="220" />
        <source>queued</source>
        <translation>yn y ciw</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="209" />
        <source>Cancelling…</source>
        <translation>Yn canslo…</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="220" />
        <source>downloading</source>
        <translation>yn lawrlwytho</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="221" />
        <source>verifying</source>
        <translation>yn gwirio</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="221" />
        <source>done</source>
        <translation>wedi gorffen</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="222" />
        <source>already there</source>
        <translation>yno'n barod</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="222" />
        <source>failed</source>
        <translation>wedi methu</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="223" />
        <source>cancelled</source>
        <translation>wedi'i ganslo</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="59" />
        <source>The download folder: downloads go into a sub-folder per product and version.</source>
        <translation>Y ffolder lawrlwytho: mae lawrlwythiadau'n mynd i is-ffolder ar gyfer pob cynnyrch a fersiwn.</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="59" />
        <source>Download folder</source>
        <translation>Ffolder lawrlwytho</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="59" />
        <source>Choose the download folder.</source>
        <translation>Dewis y ffolder lawrlwytho.</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="59" />
        <source>Choose the download folder</source>
        <translation>Dewis y ffolder lawrlwytho</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="68" />
        <source>Unpack zip files (safely) next to the download.</source>
        <translation>Dadbacio ffeiliau zip (yn ddiogel) wrth ymyl y lawrlwythiad.</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="71" />
        <source>Load the data as layers when the download is done.</source>
        <translation>Llwytho'r data fel haenau pan fydd y lawrlwytho wedi gorffen.</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="97" />
        <source>Dow&amp;nload</source>
        <translation>Lawrlw&amp;ytho</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="99" />
        <source>Stop the download; partly downloaded files are kept and resume next time. Esc does the same while the focus is in the file list or here.</source>
        <translation>Stopio'r lawrlwytho; mae ffeiliau a lawrlwythwyd yn rhannol yn cael eu cadw ac yn parhau y tro nesaf. Mae Esc yn gwneud yr un peth tra bo'r ffocws yn y rhestr ffeiliau neu yma.</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="147" />
        <source>Tick the files to download first: Space ticks the current file.</source>
        <translation>Ticiwch y ffeiliau i'w lawrlwytho yn gyntaf: mae'r Bylchwr yn ticio'r ffeil gyfredol.</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="157" />
        <source>Download the ticked files. Enter in the file list does the same.</source>
        <translation>Lawrlwytho'r ffeiliau sydd wedi'u ticio. Mae Enter yn y rhestr ffeiliau yn gwneud yr un peth.</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="157" />
        <source>Tick the files to download first: Space ticks the current file in the file list.</source>
        <translation>Ticiwch y ffeiliau i'w lawrlwytho yn gyntaf: mae'r Bylchwr yn ticio'r ffeil gyfredol yn y rhestr ffeiliau.</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="77" />
        <source>Load:</source>
        <translation>Llwytho:</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="79" />
        <source>one GeoPackage per product (recommended)</source>
        <translation>un GeoPackage ar gyfer pob cynnyrch (argymhellir)</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="81" />
        <source>the files as downloaded</source>
        <translation>y ffeiliau fel y'u lawrlwythwyd</translation>
    </message>
    <message>
        <location filename="../ui/download_controls.py" line="84" />
        <source>One GeoPackage per product: every square and tile of a theme goes into one table of &lt;product&gt;_&lt;version&gt;.gpkg in the download folder, with a spatial index, so even tens of millions of rows open at once. The files as downloaded: the files stay as they are, and the files of one theme still make one layer.</source>
        <translation>Un GeoPackage ar gyfer pob cynnyrch: mae pob sgwâr a theilsen o thema yn mynd i un tabl o &lt;product&gt;_&lt;version&gt;.gpkg yn y ffolder lawrlwytho, gyda mynegai gofodol, felly mae hyd yn oed degau o filiynau o resi'n agor ar unwaith. Y ffeiliau fel y'u lawrlwythwyd: mae'r ffeiliau'n aros fel y maent, ac mae ffeiliau un thema yn dal i wneud un haen.</translation>
    </message>
</context>
<context>
    <name>DownloadDataPackage</name>
    <message>
        <location filename="../processing_provider/download_data_package.py" line="27" />
        <source>Download a data package</source>
        <translation>Lawrlwytho pecyn data</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_data_package.py" line="30" />
        <source>Downloads a version of a premium data package that you ordered on the OS Data Hub web site. Needs the project's API key, stored in the plugin's settings. Each file is checked against its published size and md5, unpacked safely and, if asked, loaded as layers when the algorithm completes.

PACKAGE: the data package id, e.g. 0040046952.
VERSION: a version id, or latest.
FILES: some of the version's file names, separated by commas; empty for all.

Outputs: FILES (the downloaded files), LAYERS (the layers loaded) and FOLDER.</source>
        <translation>Yn lawrlwytho fersiwn o becyn data premiwm a archebwyd gennych ar wefan OS Data Hub. Mae angen allwedd API y prosiect, wedi'i chadw yng ngosodiadau'r ategyn. Mae pob ffeil yn cael ei gwirio yn erbyn ei maint a'i md5 cyhoeddedig, ei dadbacio'n ddiogel ac, os gofynnir, ei llwytho fel haenau pan fydd yr algorithm yn gorffen.

PACKAGE: ID y pecyn data, e.e. 0040046952.
VERSION: ID fersiwn, neu latest.
FILES: rhai o enwau ffeiliau'r fersiwn, wedi'u gwahanu gan atalnodau; gwag ar gyfer pob un.

Allbynnau: FILES (y ffeiliau a lawrlwythwyd), LAYERS (yr haenau a lwythwyd) a FOLDER.</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_data_package.py" line="42" />
        <source>Data package id</source>
        <translation>ID y pecyn data</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_data_package.py" line="44" />
        <source>Version id, or latest</source>
        <translation>ID y fersiwn, neu latest</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_data_package.py" line="46" />
        <source>Only these files (comma separated; empty for all)</source>
        <translation>Dim ond y ffeiliau hyn (wedi'u gwahanu gan atalnodau; gwag ar gyfer pob un)</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_data_package.py" line="66" />
        <source>Version {0} of data package {1} has no files to download.</source>
        <translation>Does gan fersiwn {0} o becyn data {1} ddim ffeiliau i'w lawrlwytho.</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_data_package.py" line="74" />
        <source>Version {0} of data package {1} has no file named '{2}'. Its files are: {3}.</source>
        <translation>Does gan fersiwn {0} o becyn data {1} ddim ffeil o'r enw '{2}'. Ei ffeiliau yw: {3}.</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_data_package.py" line="79" />
        <source>Version {0} ({1})</source>
        <translation>Fersiwn {0} ({1})</translation>
    </message>
</context>
<context>
    <name>DownloadOpenData</name>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="43" />
        <source>Download OS OpenData</source>
        <translation>Lawrlwytho OS OpenData</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="46" />
        <source>Downloads the files of an OS OpenData product from the OS Downloads API (no key needed), checks each against the size and md5 the API publishes, unpacks the zips safely and, if asked, loads the data as layers (with the OS attribution) when the algorithm completes.

PRODUCT: the product id, e.g. OpenGreenspace (the list_products algorithm lists them).
FORMAT: a format of that product, e.g. GeoPackage or ESRI® Shapefile; SUBFORMAT where the product has them, e.g. (MBTiles).
AREAS: 100 km National Grid squares such as SU, TQ, or GB for all of Great Britain. EXTENT: instead of AREAS, take the squares that this extent touches. With neither, the GB file is taken (or every file when the product has no GB file).
Downloads resume: files already in the folder and verified are not fetched again.

Outputs: FILES (the downloaded files), LAYERS (the layers loaded) and FOLDER.</source>
        <translation>Yn lawrlwytho ffeiliau cynnyrch OS OpenData o'r OS Downloads API (dim angen allwedd), yn gwirio pob un yn erbyn y maint a'r md5 y mae'r API yn eu cyhoeddi, yn dadbacio'r ffeiliau zip yn ddiogel ac, os gofynnir, yn llwytho'r data fel haenau (gyda phriodoliad OS) pan fydd yr algorithm yn gorffen.

PRODUCT: ID y cynnyrch, e.e. OpenGreenspace (mae'r algorithm list_products yn eu rhestru).
FORMAT: un o fformatau'r cynnyrch hwnnw, e.e. GeoPackage neu ESRI® Shapefile; SUBFORMAT lle mae gan y cynnyrch rai, e.e. (MBTiles).
AREAS: sgwariau 100 km y Grid Cenedlaethol fel SU, TQ, neu GB ar gyfer Prydain Fawr gyfan. EXTENT: yn lle AREAS, cymryd y sgwariau y mae'r estyniad hwn yn eu cyffwrdd. Heb yr un o'r ddau, cymerir y ffeil GB (neu bob ffeil pan nad oes gan y cynnyrch ffeil GB).
Mae lawrlwythiadau'n parhau: nid yw ffeiliau sydd yn y ffolder yn barod ac wedi'u gwirio yn cael eu nôl eto.

Allbynnau: FILES (y ffeiliau a lawrlwythwyd), LAYERS (yr haenau a lwythwyd) a FOLDER.</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="65" />
        <source>Product id (e.g. OpenGreenspace)</source>
        <translation>ID y cynnyrch (e.e. OpenGreenspace)</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="67" />
        <source>Format (e.g. GeoPackage)</source>
        <translation>Fformat (e.e. GeoPackage)</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="69" />
        <source>Subformat</source>
        <translation>Is-fformat</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="71" />
        <source>Areas: National Grid squares (SU, TQ) or GB</source>
        <translation>Ardaloedd: sgwariau'r Grid Cenedlaethol (SU, TQ) neu GB</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="73" />
        <source>…or the squares that this extent touches</source>
        <translation>…neu'r sgwariau y mae'r estyniad hwn yn eu cyffwrdd</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="93" />
        <source>The extent touches no 100 km National Grid square of Great Britain.</source>
        <translation>Nid yw'r estyniad yn cyffwrdd ag unrhyw sgwâr 100 km o'r Grid Cenedlaethol ym Mhrydain Fawr.</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="95" />
        <source>Squares in the extent: {0}</source>
        <translation>Sgwariau yn yr estyniad: {0}</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="114" />
        <source>Product {0} has no files in format '{1}'. Its formats are: {2} (FORMAT / SUBFORMAT).</source>
        <translation>Does gan gynnyrch {0} ddim ffeiliau yn y fformat '{1}'. Ei fformatau yw: {2} (FORMAT / SUBFORMAT).</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="129" />
        <source>none</source>
        <translation>dim</translation>
    </message>
    <message>
        <location filename="../processing_provider/download_opendata.py" line="129" />
        <source>Product {0} has no files for {1} in this format. It has files for: {2}.</source>
        <translation>Does gan gynnyrch {0} ddim ffeiliau ar gyfer {1} yn y fformat hwn. Mae ganddo ffeiliau ar gyfer: {2}.</translation>
    </message>
</context>
<context>
    <name>DownloadsPanel</name>
    <message>
        <location filename="../ui/downloads_panel.py" line="107" />
        <source>All areas — or type squares: SU, TQ (or GB)</source>
        <translation>Pob ardal — neu teipiwch sgwariau: SU, TQ (neu GB)</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="109" />
        <source>100 km National Grid squares, separated by commas; pick them on the map with the buttons below. Empty: all areas.</source>
        <translation>Sgwariau 100 km y Grid Cenedlaethol, wedi'u gwahanu gan atalnodau; dewiswch nhw ar y map gyda'r botymau isod. Gwag: pob ardal.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="139" />
        <source>File</source>
        <translation>Ffeil</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="139" />
        <source>Format</source>
        <translation>Fformat</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="139" />
        <source>Subformat</source>
        <translation>Is-fformat</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="139" />
        <source>Area</source>
        <translation>Ardal</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="139" />
        <source>Size</source>
        <translation>Maint</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="139" />
        <source>Status</source>
        <translation>Statws</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="228" />
        <source>Loading the files of {0}…</source>
        <translation>Yn llwytho ffeiliau {0}…</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="231" />
        <source>Loading the files of {0}</source>
        <translation>Llwytho ffeiliau {0}</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="263" />
        <source>{0} files</source>
        <translation>{0} ffeil</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="278" />
        <source>All formats</source>
        <translation>Pob fformat</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="305" />
        <source>Not National Grid squares: {0}. Use two letters such as SU or TQ, or GB for all of Great Britain.</source>
        <translation>Nid yw'r rhain yn sgwariau'r Grid Cenedlaethol: {0}. Defnyddiwch ddwy lythyren fel SU neu TQ, neu GB ar gyfer Prydain Fawr gyfan.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="356" />
        <source>{0} files ticked, {1}</source>
        <translation>Ticiwyd {0} ffeil, {1}</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="409" />
        <source>{0} has no files for square {1}.</source>
        <translation>Does gan {0} ddim ffeiliau ar gyfer sgwâr {1}.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="424" />
        <source>No square with files of this product is in the current map view.</source>
        <translation>Does dim sgwâr sydd â ffeiliau'r cynnyrch hwn i'w weld ar y map ar hyn o bryd.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="103" />
        <source>Show only files of this format.</source>
        <translation>Dangos ffeiliau yn y fformat hwn yn unig.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="104" />
        <source>Forma&amp;t</source>
        <translation>Fforma&amp;t</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="113" />
        <source>&amp;Areas</source>
        <translation>&amp;Ardaloedd</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="116" />
        <source>&amp;Grid on map</source>
        <translation>Grid 100 &amp;km ar y map</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="118" />
        <source>Show the 100 km National Grid squares on the map, labelled with their letters.</source>
        <translation>Dangos sgwariau 100 km y Grid Cenedlaethol ar y map, wedi'u labelu â'u llythrennau.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="121" />
        <source>P&amp;ick squares</source>
        <translation>Dewis s&amp;gwariau</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="123" />
        <source>Pick squares on the map: each click adds a square to the areas or removes it. Press again to stop picking.</source>
        <translation>Dewis sgwariau ar y map: mae pob clic yn ychwanegu sgwâr at yr ardaloedd neu'n ei dynnu. Pwyswch eto i orffen dewis.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="127" />
        <source>All of G&amp;B</source>
        <translation>Prydain &amp;Fawr gyfan</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="128" />
        <source>Show only the files that cover all of Great Britain.</source>
        <translation>Dangos dim ond y ffeiliau sy'n cwmpasu Prydain Fawr gyfan.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="132" />
        <source>S&amp;quares in view</source>
        <translation>Sgwaria&amp;u yn y golwg</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="133" />
        <source>Take the squares that the current map view covers as the areas.</source>
        <translation>Cymryd y sgwariau sydd i'w gweld ar y map ar hyn o bryd fel yr ardaloedd.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="154" />
        <source>The product's files. Space ticks or unticks the current file; Enter downloads the ticked files.</source>
        <translation>Ffeiliau'r cynnyrch. Mae'r Bylchwr yn ticio neu'n dad-dicio'r ffeil gyfredol; mae Enter yn lawrlwytho'r ffeiliau sydd wedi'u ticio.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="157" />
        <source>Files</source>
        <translation>Ffeiliau</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="161" />
        <source>Tic&amp;k all shown</source>
        <translation>Ticio po&amp;b un a ddangosir</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="162" />
        <source>Tick every file that the format and area filters show.</source>
        <translation>Ticio pob ffeil y mae'r hidlyddion fformat ac ardal yn ei dangos.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="165" />
        <source>&amp;Untick all</source>
        <translation>Dad-dicio'r cyfa&amp;n</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="166" />
        <source>Untick every file, shown or not.</source>
        <translation>Dad-dicio pob ffeil, p'un a yw'n cael ei dangos neu beidio.</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="263" />
        <source>1 file</source>
        <translation>1 ffeil</translation>
    </message>
    <message>
        <location filename="../ui/downloads_panel.py" line="356" />
        <source>1 file ticked, {1}</source>
        <translation>Ticiwyd 1 ffeil, {1}</translation>
    </message>
</context>
<context>
    <name>ListProducts</name>
    <message>
        <location filename="../processing_provider/list_products.py" line="39" />
        <source>List OS OpenData products</source>
        <translation>Rhestru cynhyrchion OS OpenData</translation>
    </message>
    <message>
        <location filename="../processing_provider/list_products.py" line="42" />
        <source>Writes the OS OpenData catalogue of the OS Downloads API as a table without geometry, one row per product: id (what download_opendata takes as PRODUCT), name, version, formats (FORMAT / SUBFORMAT, separated by commas), areas (the National Grid squares and GB it comes in), category and structures (Vector, Raster).</source>
        <translation>Yn ysgrifennu catalog OS OpenData yr OS Downloads API fel tabl heb geometreg, un rhes i bob cynnyrch: id (yr hyn y mae download_opendata yn ei gymryd fel PRODUCT), name, version, formats (FORMAT / SUBFORMAT, wedi'u gwahanu gan atalnodau), areas (sgwariau'r Grid Cenedlaethol a GB y mae ar gael ynddynt), category a structures (Vector, Raster).</translation>
    </message>
    <message>
        <location filename="../processing_provider/list_products.py" line="51" />
        <source>OS OpenData products</source>
        <translation>Cynhyrchion OS OpenData</translation>
    </message>
    <message>
        <location filename="../processing_provider/list_products.py" line="94" />
        <source>{0} products</source>
        <translation>{0} cynnyrch</translation>
    </message>
</context>
<context>
    <name>OSDataHubDock</name>
    <message>
        <location filename="../ui/dock.py" line="22" />
        <source>OS Data Hub</source>
        <translation>OS Data Hub</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="37" />
        <source>OpenData</source>
        <translation>OpenData</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="39" />
        <source>Data packages</source>
        <translation>Pecynnau data</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="41" />
        <source>Basemaps</source>
        <translation>Mapiau sylfaen</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="44" />
        <source>OS Data Hub settings: API key, download folder, rate limit.</source>
        <translation>Gosodiadau OS Data Hub: allwedd API, ffolder lawrlwytho, terfyn cyfradd.</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="46" />
        <source>OS Data Hub settings</source>
        <translation>Gosodiadau OS Data Hub</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="50" />
        <source>OS OpenData products: free to download, no account needed.</source>
        <translation>Cynhyrchion OS OpenData: am ddim i'w lawrlwytho, dim angen cyfrif.</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="52" />
        <source>Your premium data packages, ordered on the OS Data Hub (needs an API key).</source>
        <translation>Eich pecynnau data premiwm, wedi'u harchebu ar OS Data Hub (angen allwedd API).</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="54" />
        <source>OS Maps basemap layers (needs an API key).</source>
        <translation>Haenau mapiau sylfaen OS Maps (angen allwedd API).</translation>
    </message>
</context>
<context>
    <name>OSDataHubLoaderPlugin</name>
    <message>
        <location filename="../plugin.py" line="65" />
        <source>OS Data Hub</source>
        <translation>OS Data Hub</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="70" />
        <source>Show or hide the OS Data Hub panel</source>
        <translation>Dangos neu guddio panel OS Data Hub</translation>
    </message>
</context>
<context>
    <name>OSDataHubOptionsFactory</name>
    <message>
        <location filename="../ui/settings_page.py" line="267" />
        <source>OS Data Hub</source>
        <translation>OS Data Hub</translation>
    </message>
</context>
<context>
    <name>OSDataHubOptionsPage</name>
    <message>
        <location filename="../ui/settings_page.py" line="61" />
        <source>OS OpenData needs no account. Premium data packages and OS Maps basemaps need a project API key from the &lt;a href="{0}"&gt;OS Data Hub&lt;/a&gt; (sign up, create a project, add the Downloads API and OS Maps API to it, and copy its key). The key and secret are kept encrypted in the QGIS authentication database, never in project files.</source>
        <translation>Does dim angen cyfrif ar gyfer OS OpenData. Mae angen allwedd API prosiect o &lt;a href="{0}"&gt;OS Data Hub&lt;/a&gt; ar gyfer pecynnau data premiwm a mapiau sylfaen OS Maps (cofrestrwch, crëwch brosiect, ychwanegwch y Downloads API a'r OS Maps API ato, a chopïwch ei allwedd). Mae'r allwedd a'r gyfrinach yn cael eu cadw wedi'u hamgryptio yng nghronfa ddata dilysu QGIS, byth mewn ffeiliau prosiect.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="77" />
        <source>optional: then OAuth 2 is used</source>
        <translation>dewisol: yna defnyddir OAuth 2</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="92" />
        <source>OS Data Hub project</source>
        <translation>Prosiect OS Data Hub</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="109" />
        <source>Live project (600 requests a minute)</source>
        <translation>Prosiect byw (600 cais y funud)</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="110" />
        <source>Development project (50 requests a minute)</source>
        <translation>Prosiect datblygu (50 cais y funud)</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="129" />
        <source>Advanced: another address for the OS APIs (a mirror, or the local test server). The OS_API_BASE_URL environment variable, when set, wins over this.</source>
        <translation>Uwch: cyfeiriad arall ar gyfer APIs OS (drych, neu'r gweinydd prawf lleol). Os yw'r newidyn amgylchedd OS_API_BASE_URL wedi'i osod, mae'n cael blaenoriaeth dros hwn.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="132" />
        <source>Downloads</source>
        <translation>Lawrlwythiadau</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="120" />
        <source>Download folder</source>
        <translation>Ffolder lawrlwytho</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="143" />
        <source>The environment variable OS_API_BASE_URL is set: {0} is used instead.</source>
        <translation>Mae'r newidyn amgylchedd OS_API_BASE_URL wedi'i osod: defnyddir {0} yn lle hynny.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="176" />
        <source>A key is stored in the QGIS authentication database. Leave the fields empty to keep it, or enter a new key to replace it.</source>
        <translation>Mae allwedd wedi'i chadw yng nghronfa ddata dilysu QGIS. Gadewch y meysydd yn wag i'w chadw, neu rhowch allwedd newydd yn ei lle.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="176" />
        <source>No key is stored.</source>
        <translation>Does dim allwedd wedi'i chadw.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="182" />
        <source>(stored)</source>
        <translation>(wedi'i chadw)</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="182" />
        <source>paste the key</source>
        <translation>gludwch yr allwedd</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="199" />
        <source>The API address was not changed: it must start with https:// (or http:// for a local test server).</source>
        <translation>Ni newidiwyd cyfeiriad yr API: rhaid iddo ddechrau gyda https:// (neu http:// ar gyfer gweinydd prawf lleol).</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="205" />
        <source>The key was saved.</source>
        <translation>Cadwyd yr allwedd.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="207" />
        <source>The key was not saved: the QGIS authentication database is locked or its master password was not given.</source>
        <translation>Ni chadwyd yr allwedd: mae cronfa ddata dilysu QGIS wedi'i chloi neu ni roddwyd ei phrif gyfrinair.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="218" />
        <source>The key and secret were removed.</source>
        <translation>Tynnwyd yr allwedd a'r gyfrinach.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="224" />
        <source>Enter an API key first. OS OpenData works without one.</source>
        <translation>Rhowch allwedd API yn gyntaf. Mae OS OpenData yn gweithio hebddi.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="231" />
        <source>Testing…</source>
        <translation>Yn profi…</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="233" />
        <source>Testing the OS Data Hub key</source>
        <translation>Profi allwedd OS Data Hub</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="72" />
        <source>Your OS Data Hub project API key. It is kept encrypted in the QGIS authentication database; leave the field empty to keep the stored key.</source>
        <translation>Allwedd API eich prosiect OS Data Hub. Mae'n cael ei chadw wedi'i hamgryptio yng nghronfa ddata dilysu QGIS; gadewch y maes yn wag i gadw'r allwedd sydd wedi'i chadw.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="78" />
        <source>The project's API secret, only to sign in with OAuth 2. Leave it empty to send the key itself.</source>
        <translation>Cyfrinach API y prosiect, dim ond i fewngofnodi gydag OAuth 2. Gadewch hi'n wag i anfon yr allwedd ei hun.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="82" />
        <source>&amp;Test</source>
        <translation>&amp;Profi</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="83" />
        <source>Check what these credentials (or the stored ones) open.</source>
        <translation>Gwirio beth mae'r manylion mewngofnodi hyn (neu'r rhai sydd wedi'u cadw) yn ei agor.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="85" />
        <source>&amp;Forget credentials</source>
        <translation>&amp;Anghofio'r manylion mewngofnodi</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="86" />
        <source>Remove the stored key and secret from the QGIS authentication database.</source>
        <translation>Tynnu'r allwedd a'r gyfrinach sydd wedi'u cadw o gronfa ddata dilysu QGIS.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="95" />
        <source>API &amp;key</source>
        <translation>A&amp;llwedd API</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="96" />
        <source>API s&amp;ecret</source>
        <translation>&amp;Cyfrinach API</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="112" />
        <source>Your project's plan on the OS Data Hub: the plugin keeps its requests under the plan's limit.</source>
        <translation>Cynllun eich prosiect ar OS Data Hub: mae'r ategyn yn cadw ei geisiadau o dan derfyn y cynllun.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="117" />
        <source>How many files are downloaded at the same time.</source>
        <translation>Faint o ffeiliau sy'n cael eu lawrlwytho ar yr un pryd.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="120" />
        <source>Where downloads go; each product and version gets its own sub-folder.</source>
        <translation>Ble mae lawrlwythiadau'n mynd; mae pob cynnyrch a fersiwn yn cael ei is-ffolder ei hun.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="120" />
        <source>Choose the download folder.</source>
        <translation>Dewis y ffolder lawrlwytho.</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="120" />
        <source>Choose the download folder</source>
        <translation>Dewis y ffolder lawrlwytho</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="134" />
        <source>Do&amp;wnload folder</source>
        <translation>&amp;Ffolder lawrlwytho</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="138" />
        <source>&amp;Rate limit</source>
        <translation>&amp;Terfyn cyfradd</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="139" />
        <source>F&amp;iles at once</source>
        <translation>Ffeilia&amp;u ar y tro</translation>
    </message>
    <message>
        <location filename="../ui/settings_page.py" line="140" />
        <source>API &amp;address</source>
        <translation>Cyfeiriad &amp;yr API</translation>
    </message>
</context>
<context>
    <name>OpenDataTab</name>
    <message>
        <location filename="../ui/opendata_tab.py" line="87" />
        <source>Search OS OpenData products…</source>
        <translation>Chwilio cynhyrchion OS OpenData…</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="98" />
        <source>Vector and raster</source>
        <translation>Fector a raster</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="99" />
        <source>Vector</source>
        <translation>Fector</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="100" />
        <source>Raster</source>
        <translation>Raster</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="104" />
        <source>Refresh</source>
        <translation>Adnewyddu</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="112" />
        <source>Product</source>
        <translation>Cynnyrch</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="344" />
        <source>Version</source>
        <translation>Fersiwn</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="112" />
        <source>Category</source>
        <translation>Categori</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="112" />
        <source>Type</source>
        <translation>Math</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="254" />
        <source>Loading the OS OpenData products…</source>
        <translation>Yn llwytho cynhyrchion OS OpenData…</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="258" />
        <source>Showing the saved list: {0}</source>
        <translation>Yn dangos y rhestr a gadwyd: {0}</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="281" />
        <source>{0} products (saved list; refreshing…)</source>
        <translation>{0} cynnyrch (rhestr a gadwyd; yn adnewyddu…)</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="292" />
        <source>All categories</source>
        <translation>Pob categori</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="311" />
        <source>{0} products</source>
        <translation>{0} cynnyrch</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="312" />
        <source>{0} of {1} products</source>
        <translation>{0} o {1} cynnyrch</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="335" />
        <source>End of life: {0}</source>
        <translation>Diwedd oes: {0}</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="346" />
        <source>Formats</source>
        <translation>Fformatau</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="352" />
        <source>Areas</source>
        <translation>Ardaloedd</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="353" />
        <source>Product id</source>
        <translation>ID y cynnyrch</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="358" />
        <source>Product documentation (opens in the browser)</source>
        <translation>Dogfennaeth y cynnyrch (yn agor yn y porwr)</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="89" />
        <source>Type words from a product's name, id or description to filter the list. Enter or Down moves to the list, Esc clears the search, Ctrl+F comes back here.</source>
        <translation>Teipiwch eiriau o enw, ID neu ddisgrifiad cynnyrch i hidlo'r rhestr. Mae Enter neu'r Saeth i Lawr yn symud i'r rhestr, mae Esc yn clirio'r chwiliad, ac mae Ctrl+F yn dod yn ôl yma.</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="92" />
        <source>&amp;Find</source>
        <translation>Chw&amp;ilio</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="95" />
        <source>Show only products of this category.</source>
        <translation>Dangos cynhyrchion y categori hwn yn unig.</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="101" />
        <source>Show only vector or only raster products.</source>
        <translation>Dangos cynhyrchion fector yn unig neu gynhyrchion raster yn unig.</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="102" />
        <source>Vector or raster</source>
        <translation>Fector neu raster</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="105" />
        <source>Load the product list again from the OS Data Hub.</source>
        <translation>Llwytho'r rhestr cynhyrchion eto o OS Data Hub.</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="128" />
        <source>OS OpenData products: select one to see its details and files. Enter moves to its files.</source>
        <translation>Cynhyrchion OS OpenData: dewiswch un i weld ei fanylion a'i ffeiliau. Mae Enter yn symud i'w ffeiliau.</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="131" />
        <source>OS OpenData products</source>
        <translation>Cynhyrchion OS OpenData</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="137" />
        <source>The selected product's description. Tab reaches its documentation link and Enter opens it in your web browser.</source>
        <translation>Disgrifiad y cynnyrch a ddewiswyd. Mae Tab yn cyrraedd dolen ei ddogfennaeth ac mae Enter yn ei hagor yn eich porwr gwe.</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="140" />
        <source>Product details</source>
        <translation>Manylion y cynnyrch</translation>
    </message>
    <message>
        <location filename="../ui/opendata_tab.py" line="358" />
        <source>Open {0} in your web browser.</source>
        <translation>Agor {0} yn eich porwr gwe.</translation>
    </message>
</context>
<context>
    <name>PackagesTab</name>
    <message>
        <location filename="../ui/packages_tab.py" line="87" />
        <source>Open OS Data Hub settings…</source>
        <translation>Agor gosodiadau OS Data Hub…</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="91" />
        <source>Refresh</source>
        <translation>Adnewyddu</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="96" />
        <source>Package</source>
        <translation>Pecyn</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="96" />
        <source>Product</source>
        <translation>Cynnyrch</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="104" />
        <source>Created</source>
        <translation>Crëwyd</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="104" />
        <source>Product version</source>
        <translation>Fersiwn y cynnyrch</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="104" />
        <source>Reason</source>
        <translation>Rheswm</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="104" />
        <source>Supply</source>
        <translation>Cyflenwad</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="104" />
        <source>Format</source>
        <translation>Fformat</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="113" />
        <source>File</source>
        <translation>Ffeil</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="113" />
        <source>Size</source>
        <translation>Maint</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="113" />
        <source>Status</source>
        <translation>Statws</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="182" />
        <source>Data packages are premium OS data ordered on the OS Data Hub. To list and download yours, add your OS Data Hub project API key in the settings. No account yet? &lt;a href="{0}"&gt;Sign up on the OS Data Hub&lt;/a&gt;.</source>
        <translation>Data OS premiwm a archebwyd ar OS Data Hub yw pecynnau data. I restru a lawrlwytho eich rhai chi, ychwanegwch allwedd API eich prosiect OS Data Hub yn y gosodiadau. Dim cyfrif eto? &lt;a href="{0}"&gt;Cofrestrwch ar OS Data Hub&lt;/a&gt;.</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="188" />
        <source>Loading your data packages…</source>
        <translation>Yn llwytho eich pecynnau data…</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="189" />
        <source>Loading OS data packages</source>
        <translation>Llwytho pecynnau data OS</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="212" />
        <source>The OS Data Hub refused the stored key: {0} Check the key in the settings (and that the project has the Downloads API).</source>
        <translation>Gwrthododd OS Data Hub yr allwedd a gadwyd: {0} Gwiriwch yr allwedd yn y gosodiadau (a bod gan y prosiect y Downloads API).</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="222" />
        <source>You have no data packages yet. Data packages must first be ordered on the &lt;a href="{0}"&gt;OS Data Hub&lt;/a&gt; web site (Data packages → Add data package); then they appear here.</source>
        <translation>Does gennych chi ddim pecynnau data eto. Rhaid archebu pecynnau data yn gyntaf ar wefan &lt;a href="{0}"&gt;OS Data Hub&lt;/a&gt; (Data packages → Add data package); wedyn byddan nhw'n ymddangos yma.</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="227" />
        <source>{0} data packages</source>
        <translation>{0} pecyn data</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="254" />
        <source>Loading versions of {0}</source>
        <translation>Llwytho fersiynau {0}</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="268" />
        <source>A change-only update holds only what changed since the previous version: it is not a full copy of the data.</source>
        <translation>Dim ond yr hyn sydd wedi newid ers y fersiwn flaenorol sydd mewn diweddariad newidiadau yn unig: nid yw'n gopi llawn o'r data.</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="280" />
        <source>Change-only update (COU)</source>
        <translation>Diweddariad newidiadau yn unig (COU)</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="282" />
        <source>Full supply</source>
        <translation>Cyflenwad llawn</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="292" />
        <source>Loading the files of {0}</source>
        <translation>Llwytho ffeiliau {0}</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="315" />
        <source>{0}, version {1}: {2} files.</source>
        <translation>{0}, fersiwn {1}: {2} ffeil.</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="344" />
        <source>{0} files ticked, {1}</source>
        <translation>Ticiwyd {0} ffeil, {1}</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="370" />
        <source>(change-only update)</source>
        <translation>(diweddariad newidiadau yn unig)</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="88" />
        <source>Open Settings → Options → OS Data Hub to add your project API key.</source>
        <translation>Agor Settings → Options → OS Data Hub i ychwanegu allwedd API eich prosiect.</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="92" />
        <source>Load your data packages again from the OS Data Hub.</source>
        <translation>Llwytho eich pecynnau data eto o OS Data Hub.</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="98" />
        <source>Your data packages: select one to see its versions. Enter moves to its versions.</source>
        <translation>Eich pecynnau data: dewiswch un i weld ei fersiynau. Mae Enter yn symud i'w fersiynau.</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="98" />
        <source>Data packages</source>
        <translation>Pecynnau data</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="107" />
        <source>The versions of the selected package, the latest first. Enter moves to the version's files.</source>
        <translation>Fersiynau'r pecyn a ddewiswyd, y diweddaraf yn gyntaf. Mae Enter yn symud i ffeiliau'r fersiwn.</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="107" />
        <source>Versions</source>
        <translation>Fersiynau</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="115" />
        <source>The files of the selected version. Space ticks or unticks the current file; Enter downloads the ticked files.</source>
        <translation>Ffeiliau'r fersiwn a ddewiswyd. Mae'r Bylchwr yn ticio neu'n dad-dicio'r ffeil gyfredol; mae Enter yn lawrlwytho'r ffeiliau sydd wedi'u ticio.</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="115" />
        <source>Files</source>
        <translation>Ffeiliau</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="315" />
        <source>{0}, version {1}: 1 file.</source>
        <translation>{0}, fersiwn {1}: 1 ffeil.</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="319" />
        <source>This is a change-only update, not a full supply.</source>
        <translation>Diweddariad newidiadau yn unig yw hwn, nid cyflenwad llawn.</translation>
    </message>
    <message>
        <location filename="../ui/packages_tab.py" line="344" />
        <source>1 file ticked, {1}</source>
        <translation>Ticiwyd 1 ffeil, {1}</translation>
    </message>
</context>
<context>
    <name>api</name>
    <message>
        <location filename="../api/auth.py" line="34" />
        <source>The API key or secret was refused (401): {0}</source>
        <translation>Gwrthodwyd yr allwedd API neu'r gyfrinach (401): {0}</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="85" />
        <source>No API key was given: {0}.</source>
        <translation>Ni roddwyd allwedd API: {0}.</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="150" />
        <source>OAuth 2 needs both the project's API key and its secret: {0}.</source>
        <translation>Mae angen allwedd API y prosiect a'i gyfrinach ar OAuth 2: {0}.</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="204" />
        <source>an OAuth 2 token</source>
        <translation>tocyn OAuth 2</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="215" />
        <source>The OS Data Hub did not answer in time when asked for {0}: check the internet connection and the proxy settings, then try again.</source>
        <translation>Ni atebodd OS Data Hub mewn pryd i'r cais ar gyfer {0}: gwiriwch y cysylltiad rhyngrwyd a'r gosodiadau dirprwy, yna rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="220" />
        <source>Could not reach the OS Data Hub for {0}: check the internet connection and the proxy settings (QGIS: Settings → Options → Network), then try again.</source>
        <translation>Methu cyrraedd OS Data Hub ar gyfer {0}: gwiriwch y cysylltiad rhyngrwyd a'r gosodiadau dirprwy (QGIS: Settings → Options → Network), yna rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="240" />
        <source>The OS Data Hub sent an unexpected answer when asked for an OAuth 2 token: no access_token.</source>
        <translation>Anfonodd OS Data Hub ateb annisgwyl i'r cais am docyn OAuth 2: dim access_token.</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="246" />
        <source>The OS Data Hub sent an empty OAuth 2 token.</source>
        <translation>Anfonodd OS Data Hub docyn OAuth 2 gwag.</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="272" />
        <source>An API secret was given without its API key: {0}.</source>
        <translation>Rhoddwyd cyfrinach API heb ei hallwedd API: {0}.</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="39" />
        <source>Unknown area code '{0}': use GB (all of Great Britain) or a 100 km National Grid square ({1}).</source>
        <translation>Cod ardal anhysbys '{0}': defnyddiwch GB (Prydain Fawr gyfan) neu sgwâr 100 km y Grid Cenedlaethol ({1}).</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="61" />
        <source>the list of products</source>
        <translation>y rhestr cynhyrchion</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="66" />
        <source>product '{0}'</source>
        <translation>cynnyrch '{0}'</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="95" />
        <source>the downloads of product '{0}'</source>
        <translation>lawrlwythiadau cynnyrch '{0}'</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="111" />
        <source>image {0} of product '{1}'</source>
        <translation>llun {0} cynnyrch '{1}'</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="121" />
        <source>the list of data packages</source>
        <translation>y rhestr pecynnau data</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="125" />
        <source>data package '{0}'</source>
        <translation>pecyn data '{0}'</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="129" />
        <source>the versions of data package '{0}'</source>
        <translation>fersiynau pecyn data '{0}'</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="135" />
        <source>version '{0}' of data package '{1}'</source>
        <translation>fersiwn '{0}' o becyn data '{1}'</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="162" />
        <source>{0} arrived damaged (cut short or garbled JSON): try again; if it keeps happening, a proxy may be changing the answers.</source>
        <translation>Cyrhaeddodd {0} yn llygredig (JSON wedi'i dorri'n fyr neu'n annealladwy): rhowch gynnig arall arni; os yw'n dal i ddigwydd, efallai fod dirprwy'n newid yr atebion.</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="166" />
        <source>{0} did not come as JSON ({1}); a proxy or login page may be in the way.</source>
        <translation>Ni ddaeth {0} fel JSON ({1}); efallai fod dirprwy neu dudalen fewngofnodi yn y ffordd.</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="159" />
        <source>it is empty or a folder reference</source>
        <translation>mae'n wag neu'n gyfeiriad at ffolder</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="161" />
        <source>it contains a folder separator</source>
        <translation>mae'n cynnwys gwahanydd ffolderi</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="163" />
        <source>it contains ':' (a drive letter or stream name)</source>
        <translation>mae'n cynnwys ':' (llythyren gyriant neu enw ffrwd)</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="165" />
        <source>it contains control characters</source>
        <translation>mae'n cynnwys nodau rheoli</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="171" />
        <source>it starts or ends with a space or ends with a dot</source>
        <translation>mae'n dechrau neu'n gorffen gyda bwlch neu'n gorffen gyda dot</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="173" />
        <source>it is a reserved device name on Windows</source>
        <translation>mae'n enw dyfais sydd wedi'i gadw yn Windows</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="175" />
        <source>it is too long</source>
        <translation>mae'n rhy hir</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="180" />
        <source>Refused to save a download named {name!r}: {problem}. The server sent an unsafe file name; nothing was written.</source>
        <translation>Gwrthodwyd cadw lawrlwythiad o'r enw {name!r}: {problem}. Anfonodd y gweinydd enw ffeil anniogel; ni ysgrifennwyd dim.</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="455" />
        <source>Downloading {0} failed unexpectedly: {1}</source>
        <translation>Methodd lawrlwytho {0} yn annisgwyl: {1}</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="462" />
        <source>Cancelled: {0} was not finished; what was downloaded is kept and the next download resumes from there.</source>
        <translation>Canslwyd: ni orffennwyd {0}; mae'r hyn a lawrlwythwyd yn cael ei gadw a bydd y lawrlwythiad nesaf yn parhau o'r fan honno.</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="526" />
        <source>The server sent the wrong part of {0}; starting that file again.</source>
        <translation>Anfonodd y gweinydd y rhan anghywir o {0}; yn dechrau'r ffeil honno eto.</translation>
    </message>
    <message>
        <location filename="../api/fetch.py" line="227" />
        <source>The secure connection for {0} failed: the server's certificate was not trusted. On a network with TLS inspection, add its CA certificate in QGIS (Settings → Options → Authentication). Detail: {1}</source>
        <translation>Methodd y cysylltiad diogel ar gyfer {0}: nid oedd tystysgrif y gweinydd yn cael ei hymddiried. Ar rwydwaith sy'n archwilio TLS, ychwanegwch ei dystysgrif CA yn QGIS (Settings → Options → Authentication). Manylion: {1}</translation>
    </message>
    <message>
        <location filename="../api/fetch.py" line="238" />
        <source>The download link of {0} is not a valid URL: {1}</source>
        <translation>Nid yw dolen lawrlwytho {0} yn URL dilys: {1}</translation>
    </message>
    <message>
        <location filename="../api/fetch.py" line="249" />
        <source>The OS Data Hub answered a redirect without a target for {0}: try again later.</source>
        <translation>Atebodd OS Data Hub gydag ailgyfeiriad heb darged ar gyfer {0}: rhowch gynnig arall arni yn nes ymlaen.</translation>
    </message>
    <message>
        <location filename="../api/fetch.py" line="203" />
        <source>The download link of {0} matches several files, so the OS Data Hub listed them instead of sending one: name the file in the link (fileName=).</source>
        <translation>Mae dolen lawrlwytho {0} yn cyfateb i sawl ffeil, felly rhestrodd OS Data Hub nhw yn lle anfon un: enwch y ffeil yn y ddolen (fileName=).</translation>
    </message>
    <message>
        <location filename="../api/fetch.py" line="210" />
        <source>The download link of {0} redirected more than {1} times; giving up.</source>
        <translation>Ailgyfeiriodd dolen lawrlwytho {0} fwy na {1} o weithiau; yn rhoi'r gorau iddi.</translation>
    </message>
    <message>
        <location filename="../api/fetch.py" line="295" />
        <source>the download of {0}</source>
        <translation>lawrlwytho {0}</translation>
    </message>
    <message>
        <location filename="../api/fetch.py" line="305" />
        <source>The storage server refused the signed download link of {0} (403) again and again, even fresh ones: try again later.</source>
        <translation>Gwrthododd y gweinydd storio ddolen lawrlwytho lofnodedig {0} (403) dro ar ôl tro, hyd yn oed rhai newydd: rhowch gynnig arall arni yn nes ymlaen.</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="582" />
        <source>The connection dropped while downloading {0} ({1} bytes so far, kept to resume).</source>
        <translation>Torrodd y cysylltiad wrth lawrlwytho {0} ({1} beit hyd yma, wedi'u cadw i barhau).</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="639" />
        <source>{0} changed while resuming.</source>
        <translation>Newidiodd {0} wrth barhau.</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="652" />
        <source>The server refused to resume {0}.</source>
        <translation>Gwrthododd y gweinydd ailddechrau lawrlwytho {0}.</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="666" />
        <source>size {0} bytes instead of {1}</source>
        <translation>maint {0} beit yn lle {1}</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="669" />
        <source>md5 {0} instead of {1}</source>
        <translation>md5 {0} yn lle {1}</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="681" />
        <source>{0} arrived damaged ({1}) even after downloading it again; nothing was kept. Try again later.</source>
        <translation>Cyrhaeddodd {0} yn llygredig ({1}) hyd yn oed ar ôl ei lawrlwytho eto; ni chadwyd dim. Rhowch gynnig arall arni yn nes ymlaen.</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="690" />
        <source>{name} was downloaded and verified but could not replace the file already in {folder} ({error}): close it in QGIS or other programs and download again (the verified download is kept as {part}).</source>
        <translation>Cafodd {name} ei lawrlwytho a'i gwirio, ond nid oedd modd iddi ddisodli'r ffeil sydd eisoes yn {folder} ({error}): caewch hi yn QGIS neu raglenni eraill a lawrlwythwch eto (mae'r lawrlwythiad a wiriwyd yn cael ei gadw fel {part}).</translation>
    </message>
    <message>
        <location filename="../api/fetch.py" line="329" />
        <source>Downloading {name} failed: {reason}. Check the internet connection and the proxy settings (QGIS: Settings → Options → Network), then download again: it resumes where it stopped. Detail: {detail}</source>
        <translation>Methodd lawrlwytho {name}: {reason}. Gwiriwch y cysylltiad rhyngrwyd a'r gosodiadau dirprwy (QGIS: Settings → Options → Network), yna lawrlwythwch eto: bydd yn parhau o'r man lle stopiodd. Manylion: {detail}</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="41" />
        <source>The OS Data Hub request failed.</source>
        <translation>Methodd y cais i OS Data Hub.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="50" />
        <source>The API key was refused (401): {hint}.</source>
        <translation>Gwrthodwyd yr allwedd API (401): {hint}.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="60" />
        <source>Access was denied (403): the API key has no rights to this data; check the project's APIs on the OS Data Hub and {hint}.</source>
        <translation>Gwrthodwyd mynediad (403): does gan yr allwedd API ddim hawl i'r data hwn; gwiriwch APIs y prosiect ar OS Data Hub a {hint}.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="69" />
        <source>Not found (404): check the product, package, version or file name.</source>
        <translation>Heb ei ganfod (404): gwiriwch enw'r cynnyrch, y pecyn, y fersiwn neu'r ffeil.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="77" />
        <source>The OS Data Hub did not accept the request (400): check the options given.</source>
        <translation>Ni dderbyniodd OS Data Hub y cais (400): gwiriwch yr opsiynau a roddwyd.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="93" />
        <source>The OS Data Hub rate limit was reached (429): wait a minute and try again, or download fewer files at once.</source>
        <translation>Cyrhaeddwyd terfyn cyfradd OS Data Hub (429): arhoswch funud a rhowch gynnig arall arni, neu lawrlwythwch lai o ffeiliau ar y tro.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="102" />
        <source>The OS Data Hub had a server error: try again later.</source>
        <translation>Cafodd OS Data Hub wall gweinydd: rhowch gynnig arall arni yn nes ymlaen.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="111" />
        <source>Could not reach the OS Data Hub: check the internet connection and the proxy settings (QGIS: Settings → Options → Network), then try again.</source>
        <translation>Methu cyrraedd OS Data Hub: gwiriwch y cysylltiad rhyngrwyd a'r gosodiadau dirprwy (QGIS: Settings → Options → Network), yna rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="122" />
        <source>A downloaded file was damaged (size or md5 mismatch): download it again.</source>
        <translation>Roedd ffeil a lawrlwythwyd yn llygredig (nid yw'r maint neu'r md5 yn cyfateb): lawrlwythwch hi eto.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="132" />
        <source>The zip file is damaged or unsafe and was not unpacked: download it again.</source>
        <translation>Mae'r ffeil zip yn llygredig neu'n anniogel ac ni chafodd ei dadbacio: lawrlwythwch hi eto.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="142" />
        <source>A file could not be written: check the download folder.</source>
        <translation>Methu ysgrifennu ffeil: gwiriwch y ffolder lawrlwytho.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="145" />
        <source>Could not write {path}: {advice}.</source>
        <translation>Methu ysgrifennu {path}: {advice}.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="146" />
        <source>Could not create the download folder {path}: {advice}.</source>
        <translation>Methu creu'r ffolder lawrlwytho {path}: {advice}.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="153" />
        <source>the disk is full. Free some space or choose another download folder, then download again (what is already downloaded is kept)</source>
        <translation>mae'r ddisg yn llawn. Rhyddhewch rywfaint o le neu dewiswch ffolder lawrlwytho arall, yna lawrlwythwch eto (mae'r hyn sydd eisoes wedi'i lawrlwytho yn cael ei gadw)</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="157" />
        <source>there is no permission to write there. Choose another download folder</source>
        <translation>does dim caniatâd i ysgrifennu yno. Dewiswch ffolder lawrlwytho arall</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="160" />
        <source>{0}. Check the download folder</source>
        <translation>{0}. Gwiriwch y ffolder lawrlwytho</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="174" />
        <source>Cancelled.</source>
        <translation>Canslwyd.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="286" />
        <source>The API key was refused (401) for {what}: {hint}.</source>
        <translation>Gwrthodwyd yr allwedd API (401) ar gyfer {what}: {hint}.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="290" />
        <source>Access was denied (403) for {what}: the API key has no rights to it; check the project's APIs on the OS Data Hub and {hint}.</source>
        <translation>Gwrthodwyd mynediad (403) ar gyfer {what}: does gan yr allwedd API ddim hawl i hynny; gwiriwch APIs y prosiect ar OS Data Hub a {hint}.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="295" />
        <source>Not found (404): {what}. Check the product, package, version or file name.</source>
        <translation>Heb ei ganfod (404): {what}. Gwiriwch enw'r cynnyrch, y pecyn, y fersiwn neu'r ffeil.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="299" />
        <source>The OS Data Hub rate limit was reached (429) for {what}: wait a minute and try again, or download fewer files at once.</source>
        <translation>Cyrhaeddwyd terfyn cyfradd OS Data Hub (429) ar gyfer {what}: arhoswch funud a rhowch gynnig arall arni, neu lawrlwythwch lai o ffeiliau ar y tro.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="303" />
        <source>The OS Data Hub had a server error ({status}) for {what}: try again later.</source>
        <translation>Cafodd OS Data Hub wall gweinydd ({status}) ar gyfer {what}: rhowch gynnig arall arni yn nes ymlaen.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="307" />
        <source>The OS Data Hub did not accept the request ({status}) for {what}: check the options given.</source>
        <translation>Ni dderbyniodd OS Data Hub y cais ({status}) ar gyfer {what}: gwiriwch yr opsiynau a roddwyd.</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="312" />
        <source>The server said: {0}</source>
        <translation>Dywedodd y gweinydd: {0}</translation>
    </message>
    <message>
        <location filename="../api/http.py" line="295" />
        <source>the proxy refused the connection</source>
        <translation>gwrthododd y dirprwy y cysylltiad</translation>
    </message>
    <message>
        <location filename="../api/http.py" line="297" />
        <source>the secure connection failed (behind a proxy that inspects TLS, add its CA certificate in QGIS: Settings → Options → Authentication)</source>
        <translation>methodd y cysylltiad diogel (y tu ôl i ddirprwy sy'n archwilio TLS, ychwanegwch ei dystysgrif CA yn QGIS: Settings → Options → Authentication)</translation>
    </message>
    <message>
        <location filename="../api/http.py" line="301" />
        <source>no answer within {0:g} s</source>
        <translation>dim ateb o fewn {0:g} eiliad</translation>
    </message>
    <message>
        <location filename="../api/http.py" line="302" />
        <source>the connection failed or was dropped</source>
        <translation>methodd y cysylltiad neu cafodd ei dorri</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="23" />
        <source>A data package</source>
        <translation>Pecyn data</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="24" />
        <source>A data package file</source>
        <translation>Ffeil pecyn data</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="25" />
        <source>A data package version</source>
        <translation>Fersiwn pecyn data</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="26" />
        <source>A product</source>
        <translation>Cynnyrch</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="27" />
        <source>A product download</source>
        <translation>Lawrlwythiad cynnyrch</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="28" />
        <source>A product format</source>
        <translation>Fformat cynnyrch</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="32" />
        <source>The OS Data Hub sent an unexpected answer: {0}</source>
        <translation>Anfonodd OS Data Hub ateb annisgwyl: {0}</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="38" />
        <source>{what} is not a JSON object but {kind}.</source>
        <translation>{what}: {kind} yn lle gwrthrych JSON.</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="54" />
        <source>{what} has no '{name}'.</source>
        <translation>{what} heb '{name}'.</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="138" />
        <source>{what} is not a JSON array but {kind}.</source>
        <translation>{what}: {kind} yn lle arae JSON.</translation>
    </message>
    <message>
        <location filename="../api/transport.py" line="97" />
        <source>The API address must start with https:// (got '{0}').</source>
        <translation>Rhaid i gyfeiriad yr API ddechrau gyda https:// (cafwyd '{0}').</translation>
    </message>
    <message>
        <location filename="../api/transport.py" line="204" />
        <source>Could not ask the OS Data Hub for {0}: {1}</source>
        <translation>Methu anfon cais i OS Data Hub ar gyfer {0}: {1}</translation>
    </message>
    <message>
        <location filename="../api/transport.py" line="215" />
        <source>{0} redirected to '{1}'.</source>
        <translation>Ailgyfeiriodd {0} i '{1}'.</translation>
    </message>
    <message>
        <location filename="../api/transport.py" line="223" />
        <source>{0} redirected more than {1} times.</source>
        <translation>Ailgyfeiriodd {0} fwy na {1} o weithiau.</translation>
    </message>
    <message>
        <location filename="../api/transport.py" line="229" />
        <source>Could not reach the OS Data Hub ({host}) for {what}: {reason}. Check the internet connection and the proxy settings (QGIS: Settings → Options → Network), then try again.</source>
        <translation>Methu cyrraedd OS Data Hub ({host}) ar gyfer {what}: {reason}. Gwiriwch y cysylltiad rhyngrwyd a'r gosodiadau dirprwy (QGIS: Settings → Options → Network), yna rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="115" />
        <source>{0} unpacks to more than {1}, the limit: it looks like a zip bomb and was not unpacked.</source>
        <translation>Mae {0} yn dadbacio i fwy na {1}, y terfyn: mae'n edrych fel bom zip ac ni chafodd ei dadbacio.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="172" />
        <source>The zip file {0} is empty (0 bytes): there is nothing to unpack. If the OS Data Hub lists it with a size of 0, the file itself is empty; ask Ordnance Survey about it.</source>
        <translation>Mae'r ffeil zip {0} yn wag (0 beit): does dim i'w ddadbacio. Os yw OS Data Hub yn ei rhestru gyda maint 0, mae'r ffeil ei hun yn wag; gofynnwch i Ordnance Survey amdani.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="189" />
        <source>The zip file {0} does not exist.</source>
        <translation>Nid yw'r ffeil zip {0} yn bodoli.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="195" />
        <source>{0} (inside {1})</source>
        <translation>{0} (y tu mewn i {1})</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="221" />
        <source>{0} has {1} members, more than the limit of {2}: it looks like a zip bomb and was not unpacked.</source>
        <translation>Mae gan {0} {1} eitem, mwy na'r terfyn o {2}: mae'n edrych fel bom zip ac ni chafodd ei dadbacio.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="250" />
        <source>{0} holds '{1}' twice: the zip is malformed and was not unpacked. Download it again.</source>
        <translation>Mae {0} yn cynnwys '{1}' ddwywaith: mae'r ffeil zip wedi'i chamffurfio ac ni chafodd ei dadbacio. Lawrlwythwch hi eto.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="259" />
        <source>{0} has '{1}' both as a file and as a folder: the zip is malformed and was not unpacked. Download it again.</source>
        <translation>Mae gan {0} '{1}' fel ffeil ac fel ffolder: mae'r ffeil zip wedi'i chamffurfio ac ni chafodd ei dadbacio. Lawrlwythwch hi eto.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="266" />
        <source>{0} would expand {1:.0f} times (more than {2:.0f}) to {3}: it looks like a zip bomb and was not unpacked.</source>
        <translation>Byddai {0} yn ehangu {1:.0f} gwaith (mwy na {2:.0f}) i {3}: mae'n edrych fel bom zip ac ni chafodd ei dadbacio.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="271" />
        <source>{0} declares {1} of files, which would make {2} unpacked in all, more than the limit of {3}: it looks like a zip bomb and was not unpacked.</source>
        <translation>Mae {0} yn datgan {1} o ffeiliau, a fyddai'n golygu {2} wedi'u dadbacio i gyd, mwy na'r terfyn o {3}: mae'n edrych fel bom zip ac ni chafodd ei dadbacio.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="278" />
        <source>Not enough disk space to unpack {0}: it needs {1}, {2} are free in {3}. Free some space or choose another download folder, then try again.</source>
        <translation>Dim digon o le ar y ddisg i ddadbacio {0}: mae angen {1}, ac mae {2} yn rhydd yn {3}. Rhyddhewch rywfaint o le neu dewiswch ffolder lawrlwytho arall, yna rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="324" />
        <source>'{0}' in {1} holds more than the {2} bytes it declares: the zip is hostile or damaged and was not unpacked.</source>
        <translation>Mae '{0}' yn {1} yn cynnwys mwy na'r {2} beit y mae'n eu datgan: mae'r ffeil zip yn faleisus neu'n llygredig ac ni chafodd ei dadbacio.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="360" />
        <source>{label} was not unpacked: its member {name!r} {why}. The zip is unsafe or damaged; nothing was written.</source>
        <translation>Ni chafodd {label} ei dadbacio: mae ei heitem {name!r} {why}. Mae'r ffeil zip yn anniogel neu'n llygredig; ni ysgrifennwyd dim.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="365" />
        <source>contains control characters</source>
        <translation>yn cynnwys nodau rheoli</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="368" />
        <source>is an absolute or network (UNC) path</source>
        <translation>yn llwybr absoliwt neu rwydwaith (UNC)</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="370" />
        <source>contains ':' (a drive letter or a Windows stream name)</source>
        <translation>yn cynnwys ':' (llythyren gyriant neu enw ffrwd Windows)</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="379" />
        <source>would be written outside the target folder ('..')</source>
        <translation>yn mynd i gael ei hysgrifennu y tu allan i'r ffolder targed ('..')</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="384" />
        <source>would be written outside the target folder (through a link)</source>
        <translation>yn mynd i gael ei hysgrifennu y tu allan i'r ffolder targed (drwy ddolen)</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="391" />
        <source>{label} was not unpacked: its member {name!r} {why}.</source>
        <translation>Ni chafodd {label} ei dadbacio: mae ei heitem {name!r} {why}.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="397" />
        <source>is a symbolic link, which is refused</source>
        <translation>yn ddolen symbolaidd, sy'n cael ei gwrthod</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="399" />
        <source>is encrypted (password-protected zips are not supported)</source>
        <translation>wedi'i hamgryptio (nid yw ffeiliau zip wedi'u diogelu gan gyfrinair yn cael eu cefnogi)</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="402" />
        <source>uses compression method {0}, which cannot be unpacked here (Deflate64 is 9); unpack it with another tool</source>
        <translation>yn defnyddio dull cywasgu {0}, nad oes modd ei ddadbacio yma (Deflate64 yw 9); dadbaciwch hi gydag offeryn arall</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="407" />
        <source>expands {0:.0f} times (more than {1:.0f}): it looks like a zip bomb</source>
        <translation>yn ehangu {0:.0f} gwaith (mwy na {1:.0f}): mae'n edrych fel bom zip</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="420" />
        <source>The zip file {0} is damaged ({1}) and was not unpacked: download it again.</source>
        <translation>Mae'r ffeil zip {0} yn llygredig ({1}) ac ni chafodd ei dadbacio: lawrlwythwch hi eto.</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="56" />
        <source>British National Grid</source>
        <translation>Grid Cenedlaethol Prydain</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="57" />
        <source>Web Mercator</source>
        <translation>Web Mercator</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="222" />
        <source>The saved OS Maps layer list is damaged ({0}).</source>
        <translation>Mae'r rhestr haenau OS Maps a gadwyd yn llygredig ({0}).</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="304" />
        <source>{0} has no whole number in {1} ('{2}')</source>
        <translation>{0}: dim rhif cyfan yn {1} ('{2}')</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="309" />
        <source>The OS Maps capabilities could not be read: {0}.</source>
        <translation>Methu darllen galluoedd OS Maps: {0}.</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="315" />
        <source>tile matrix '{0}' of '{1}'</source>
        <translation>matrics teils '{0}' o '{1}'</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="320" />
        <source>{0} has no scale or top-left corner</source>
        <translation>{0}: dim graddfa na chornel chwith uchaf</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="323" />
        <source>{0} has no identifier, scale or top-left corner</source>
        <translation>{0}: dim dynodydd, graddfa na chornel chwith uchaf</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="350" />
        <source>the limits of tile matrix '{0}'</source>
        <translation>terfynau matrics teils '{0}'</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="431" />
        <source>it is not XML ({0}); a proxy or login page may be in the way</source>
        <translation>nid XML ydyw ({0}); efallai fod dirprwy neu dudalen fewngofnodi yn y ffordd</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="439" />
        <source>The OS Maps API answered with an error: {0}.</source>
        <translation>Atebodd OS Maps API gyda gwall: {0}.</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="439" />
        <source>no details</source>
        <translation>dim manylion</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="443" />
        <source>it is a '{0}' document, not WMTS capabilities</source>
        <translation>dogfen '{0}' ydyw, nid galluoedd WMTS</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="447" />
        <source>it lists no Contents</source>
        <translation>nid yw'n rhestru Contents</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="455" />
        <source>it lists no layers</source>
        <translation>nid yw'n rhestru unrhyw haenau</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="512" />
        <source>the OS Maps layer list (WMTS capabilities)</source>
        <translation>rhestr haenau OS Maps (galluoedd WMTS)</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="541" />
        <source>tile {0}/{1}/{2} of OS Maps layer '{3}'</source>
        <translation>teilsen {0}/{1}/{2} o haen OS Maps '{3}'</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="550" />
        <source>OS Maps layer '{0}' has no zoom level {1}.</source>
        <translation>Does gan haen OS Maps '{0}' ddim lefel chwyddo {1}.</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="563" />
        <source>OS Maps layer '{0}' has no open zoom level.</source>
        <translation>Does gan haen OS Maps '{0}' ddim lefel chwyddo agored.</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="33" />
        <source>check them in Settings → Options → OS Data Hub</source>
        <translation>gwiriwch nhw yn Settings → Options → OS Data Hub</translation>
    </message>
    <message>
        <location filename="../api/errors.py" line="21" />
        <source>check it in Settings → Options → OS Data Hub</source>
        <translation>gwiriwch hi yn Settings → Options → OS Data Hub</translation>
    </message>
    <message>
        <location filename="../api/wmts.py" line="502" />
        <source>OS Maps needs an OS Data Hub API key: add it in Settings → Options → OS Data Hub.</source>
        <translation>Mae angen allwedd API OS Data Hub ar OS Maps: ychwanegwch hi yn Settings → Options → OS Data Hub.</translation>
    </message>
    <message>
        <location filename="../api/transport.py" line="249" />
        <source>{0} is larger than {1}.</source>
        <translation>Mae {0} yn fwy na {1}.</translation>
    </message>
    <message>
        <location filename="../api/importer.py" line="94" />
        <source>Importing needs GDAL's Python bindings (the osgeo package), which this Python does not have: install them (Debian: python3-gdal), or download without importing.</source>
        <translation>Mae mewnforio angen rhwymiadau Python GDAL (y pecyn osgeo), nad ydynt gan y Python hwn: gosodwch nhw (Debian: python3-gdal), neu lawrlwythwch heb fewnforio.</translation>
    </message>
    <message>
        <location filename="../api/importer.py" line="465" />
        <source>it could not be opened as {0}</source>
        <translation>methu ei hagor fel {0}</translation>
    </message>
    <message>
        <location filename="../api/importer.py" line="608" />
        <source>The disk is full: {0} could not be written. Free some space or choose another download folder, then try again.</source>
        <translation>Mae'r ddisg yn llawn: methu ysgrifennu {0}. Rhyddhewch rywfaint o le neu dewiswch ffolder lawrlwytho arall, yna rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <location filename="../api/importer.py" line="611" />
        <source>{0} could not be imported into {1}: {2}</source>
        <translation>{0}: methu ei mewnforio i {1}: {2}</translation>
    </message>
    <message>
        <location filename="../api/importer.py" line="727" />
        <source>{0} could not be written ({1}): free some space or choose another download folder.</source>
        <translation>{0}: methu ei hysgrifennu ({1}): rhyddhewch rywfaint o le neu dewiswch ffolder lawrlwytho arall.</translation>
    </message>
    <message>
        <location filename="../api/importer.py" line="770" />
        <source>no georeferencing: neither the image nor a world file says where it lies</source>
        <translation>dim geogyfeirio: nid yw'r ddelwedd na ffeil byd yn dweud ble mae hi</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="198" />
        <source>The OAuth 2 address '{0}' is refused: {1}.</source>
        <translation>Gwrthodir y cyfeiriad OAuth 2 '{0}': {1}.</translation>
    </message>
    <message>
        <location filename="../api/fetch.py" line="260" />
        <source>The download link of {0} redirected to '{1}', which is refused: {2}. Nothing was sent there.</source>
        <translation>Ailgyfeiriodd dolen lawrlwytho {0} i '{1}', a wrthodir: {2}. Ni anfonwyd dim yno.</translation>
    </message>
    <message>
        <location filename="../api/fetch.py" line="269" />
        <source>The download link of {0} leads to '{1}', which is refused: {2}. Nothing was sent there.</source>
        <translation>Mae dolen lawrlwytho {0} yn arwain at '{1}', a wrthodir: {2}. Ni anfonwyd dim yno.</translation>
    </message>
    <message>
        <location filename="../api/transport.py" line="102" />
        <source>The API address '{0}' is refused: {1}. Write it as https://host[:port]/path.</source>
        <translation>Gwrthodir cyfeiriad yr API '{0}': {1}. Ysgrifennwch ef fel https://host[:port]/path.</translation>
    </message>
    <message>
        <location filename="../api/transport.py" line="175" />
        <source>the address '{0}' for {1} is refused: {2}.</source>
        <translation>gwrthodir y cyfeiriad '{0}' ar gyfer {1}: {2}.</translation>
    </message>
    <message>
        <location filename="../api/transport.py" line="219" />
        <source>{0} redirected to '{1}', which is refused: {2}.</source>
        <translation>Ailgyfeiriodd {0} i '{1}', a wrthodir: {2}.</translation>
    </message>
    <message>
        <location filename="../api/urls.py" line="57" />
        <source>it contains spaces or control characters</source>
        <translation>mae'n cynnwys bylchau neu nodau rheoli</translation>
    </message>
    <message>
        <location filename="../api/urls.py" line="59" />
        <source>it contains a backslash</source>
        <translation>mae'n cynnwys ôl-slaes</translation>
    </message>
    <message>
        <location filename="../api/urls.py" line="64" />
        <source>it cannot be read as a URL</source>
        <translation>ni ellir ei ddarllen fel URL</translation>
    </message>
    <message>
        <location filename="../api/urls.py" line="66" />
        <source>it is not an http:// or https:// address</source>
        <translation>nid yw'n gyfeiriad http:// neu https://</translation>
    </message>
    <message>
        <location filename="../api/urls.py" line="68" />
        <source>it carries a user name or password (user@host)</source>
        <translation>mae'n cynnwys enw defnyddiwr neu gyfrinair (user@host)</translation>
    </message>
    <message>
        <location filename="../api/urls.py" line="70" />
        <source>its host name is ambiguous</source>
        <translation>mae enw ei westeiwr yn amwys</translation>
    </message>
    <message>
        <location filename="../api/urls.py" line="97" />
        <source>it leaves https for plain http</source>
        <translation>mae'n gadael https am http plaen</translation>
    </message>
    <message>
        <location filename="../api/urls.py" line="105" />
        <source>The API address {0} is plain http://: the API key, the secret and the data go over the network unencrypted. Use https:// unless you trust every network in between.</source>
        <translation>Mae cyfeiriad yr API {0} yn http:// plaen: mae allwedd yr API, y gyfrinach a'r data yn mynd dros y rhwydwaith heb eu hamgryptio. Defnyddiwch https:// oni bai eich bod yn ymddiried ym mhob rhwydwaith yn y canol.</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="177" />
        <source>it ends in '.part' or '.part.lock', the names given to unfinished downloads</source>
        <translation>mae'n gorffen gyda '.part' neu '.part.lock', yr enwau a roddir i lawrlwythiadau anorffenedig</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="236" />
        <source>Another download of {name} into {folder} is running (in another QGIS window, Processing or the command line) and did not finish within {minutes} minutes; this one was left out so as not to spoil it. Download again once it is done: the file will then be found verified and kept.</source>
        <translation>Mae lawrlwythiad arall o {name} i {folder} ar waith (mewn ffenestr QGIS arall, Processing neu'r llinell orchymyn) ac ni orffennodd o fewn {minutes} munud; gadawyd hwn allan rhag ei ddifetha. Lawrlwythwch eto pan fydd wedi gorffen: bydd y ffeil wedyn yn cael ei chanfod wedi'i gwirio a'i chadw.</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="676" />
        <source>md5 {0} on disk instead of {1}: something else wrote to {2} while it was downloaded</source>
        <translation>md5 {0} ar y ddisg yn lle {1}: ysgrifennodd rhywbeth arall at {2} tra oedd yn cael ei lawrlwytho</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="238" />
        <source>{label} was not unpacked: its member {name!r} ends in '{suffix}', the name given to files while they are unpacked. The zip is unsafe or damaged; nothing was written.</source>
        <translation>Ni chafodd {label} ei dadbacio: mae ei heitem {name!r} yn gorffen gyda '{suffix}', yr enw a roddir i ffeiliau tra maent yn cael eu dadbacio. Mae'r ffeil zip yn anniogel neu'n llygredig; ni ysgrifennwyd dim.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="245" />
        <source>{label} was not unpacked: its member {name!r} would overwrite {path}, which the zip around it holds. The zip is malformed; nothing of it was kept.</source>
        <translation>Ni chafodd {label} ei dadbacio: byddai ei heitem {name!r} yn trosysgrifo {path}, sydd yn y ffeil zip o'i chwmpas. Mae'r ffeil zip wedi'i chamffurfio; ni chadwyd dim ohoni.</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="45" />
        <source>The {what} contains the character '{char}' (U+{code:04X}), which cannot be sent: API keys and secrets are plain letters and digits. It was probably pasted with typographic characters; type it again or copy it from the OS Data Hub, and {hint}.</source>
        <translation>Mae'r {what} yn cynnwys y nod '{char}' (U+{code:04X}), na ellir ei anfon: llythrennau a digidau plaen yw allweddi a chyfrinachau API. Mae'n debyg iddo gael ei ludo gyda nodau teipograffyddol; teipiwch ef eto neu copïwch ef o'r OS Data Hub, a {hint}.</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="55" />
        <source>API key</source>
        <translation>allwedd API</translation>
    </message>
    <message>
        <location filename="../api/auth.py" line="56" />
        <source>API secret</source>
        <translation>cyfrinach API</translation>
    </message>
    <message>
        <location filename="../api/client.py" line="156" />
        <source>{0} is not valid JSON (nested too deeply); a proxy or a broken server may be sending it.</source>
        <translation>Nid yw {0} yn JSON dilys (wedi'i nythu'n rhy ddwfn); efallai fod dirprwy neu weinydd diffygiol yn ei anfon.</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="167" />
        <source>it contains right-to-left or other direction controls, which can make a name look like another</source>
        <translation>mae'n cynnwys nodau cyfeiriad (o'r dde i'r chwith neu eraill), a all wneud i enw edrych fel un arall</translation>
    </message>
    <message>
        <location filename="../api/download.py" line="597" />
        <source>The server sent {0} compressed (Content-Encoding: {1}) although the file was asked for as it is; nothing was written. A proxy may be compressing downloads: try another network or ask its administrator.</source>
        <translation>Anfonodd y gweinydd {0} wedi'i chywasgu (Content-Encoding: {1}) er i'r ffeil gael ei gofyn fel y mae; ni ysgrifennwyd dim. Efallai fod dirprwy yn cywasgu lawrlwythiadau: rhowch gynnig ar rwydwaith arall neu gofynnwch i'w weinyddwr.</translation>
    </message>
    <message>
        <location filename="../api/http.py" line="180" />
        <source>The OS Data Hub sent an unexpected answer: it came compressed as '{0}', which was not asked for; a proxy may be changing the answers.</source>
        <translation>Anfonodd yr OS Data Hub ateb annisgwyl: daeth wedi'i gywasgu fel '{0}', na ofynnwyd amdano; efallai fod dirprwy yn newid yr atebion.</translation>
    </message>
    <message>
        <location filename="../api/http.py" line="205" />
        <source>The OS Data Hub sent an unexpected answer: it is larger than {0} MB; a proxy or a broken server may be sending it.</source>
        <translation>Anfonodd yr OS Data Hub ateb annisgwyl: mae'n fwy na {0} MB; efallai fod dirprwy neu weinydd diffygiol yn ei anfon.</translation>
    </message>
    <message>
        <location filename="../api/http.py" line="248" />
        <source>The answer of the OS Data Hub did not arrive in time: {0} bytes in the time allowed; the server or a proxy is too slow. Try again later.</source>
        <translation>Ni chyrhaeddodd ateb yr OS Data Hub mewn pryd: {0} beit yn yr amser a ganiateir; mae'r gweinydd neu ddirprwy yn rhy araf. Rhowch gynnig arall arni yn nes ymlaen.</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="111" />
        <source>its md5 '{0}' is not 32 hexadecimal digits, so it is treated as unknown and the download is not checked against it</source>
        <translation>nid yw ei md5 '{0}' yn 32 digid hecsadegol, felly caiff ei drin fel un anhysbys ac ni chaiff y lawrlwythiad ei wirio yn ei erbyn</translation>
    </message>
    <message>
        <location filename="../api/models.py" line="116" />
        <source>its size {0} is below zero, so it is treated as unknown</source>
        <translation>mae ei maint {0} yn llai na sero, felly caiff ei drin fel un anhysbys</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="183" />
        <source>{0} is named as a zip but is not one ({1}), so it was not unpacked; the download around it was verified, so downloading again will not help: tell Ordnance Survey about the file.</source>
        <translation>{0}: mae wedi'i henwi fel ffeil zip ond nid yw'n un ({1}), felly ni chafodd ei dadbacio; cafodd y lawrlwythiad o'i chwmpas ei wirio, felly ni fydd lawrlwytho eto'n helpu: rhowch wybod i Ordnance Survey am y ffeil.</translation>
    </message>
    <message>
        <location filename="../api/unpack.py" line="374" />
        <source>has a name of {0} bytes, longer than file systems take ({1} with the unpacker's temporary suffix)</source>
        <translation>mae ganddi enw o {0} beit, yn hwy nag y mae systemau ffeiliau'n ei dderbyn ({1} gydag ôl-ddodiad dros dro y dadbaciwr)</translation>
    </message>
</context>
</TS>
